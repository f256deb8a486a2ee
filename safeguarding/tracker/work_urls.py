"""URLs of the work on recommendations: actions, evidence and sign-off (namespace "tracker").

Integer ids only: nothing personal goes in a URL.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("recommendations/<int:pk>/sign-off/", views.sign_off_create, name="sign_off_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/change/", views.action_change, name="action_change"),
    path("actions/<int:pk>/notes/", views.progress_note_create, name="progress_note_create"),
    path("actions/<int:pk>/evidence/", views.evidence_create, name="evidence_create"),
    path("actions/<int:pk>/rag-override/", views.rag_override_set, name="rag_override_set"),
    path("actions/<int:pk>/rag-override/remove/", views.rag_override_clear, name="rag_override_clear"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
]
