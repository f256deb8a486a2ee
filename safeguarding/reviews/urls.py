from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<slug:slug>/", views.review_detail, name="detail"),
    path("<slug:slug>/briefing/", views.review_briefing, name="briefing"),
    path("<slug:slug>/briefing.pdf", views.review_briefing_pdf, name="briefing-pdf"),
    path("<slug:slug>/recommendations/<str:reference>/", views.recommendation_detail, name="recommendation"),
]
