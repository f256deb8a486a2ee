"""Endpoints of the read-only JSON API, mounted at /api/v1/ by config/api_urls.py."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<slug:slug>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path(
        "reviews/<slug:slug>/recommendations/",
        views.ReviewRecommendationListView.as_view(),
        name="review-recommendation-list",
    ),
    path(
        "reviews/<slug:slug>/recommendations/<str:reference>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
]
