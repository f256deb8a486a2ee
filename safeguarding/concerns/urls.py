"""Triage URLs under /staff/concerns/. They carry team slugs and concern ids only: no personal data."""

from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("teams/<slug:slug>/", views.team_queue, name="team_queue"),
    path("teams/<slug:slug>/search/", views.team_queue_search, name="team_queue_search"),
    path("<int:pk>/", views.concern_detail, name="concern_detail"),
    path("<int:pk>/assign/", views.concern_assign, name="concern_assign"),
    path("<int:pk>/unassign/", views.concern_unassign, name="concern_unassign"),
    path("<int:pk>/decide/", views.concern_decide, name="concern_decide"),
    path("<int:pk>/close/", views.concern_close, name="concern_close"),
    path("<int:pk>/reopen/", views.concern_reopen, name="concern_reopen"),
    path("<int:pk>/notes/add/", views.concern_note_add, name="concern_note_add"),
    path("<int:pk>/attachments/add/", views.concern_attachment_add, name="concern_attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.concern_attachment_download,
        name="concern_attachment_download",
    ),
    path(
        "<int:pk>/information-sharing/add/",
        views.concern_information_share_add,
        name="concern_information_share_add",
    ),
    path("<int:pk>/share-with-team/", views.concern_team_share, name="concern_team_share"),
    path("<int:pk>/legal-hold/", views.concern_legal_hold, name="concern_legal_hold"),
    path("<int:pk>/mark-urgent/", views.concern_mark_urgent, name="concern_mark_urgent"),
    path("<int:pk>/remove-urgent/", views.concern_remove_urgent, name="concern_remove_urgent"),
    path("<int:pk>/police-call/", views.concern_police_call, name="concern_police_call"),
]
