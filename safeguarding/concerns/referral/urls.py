"""URLs of the professional referral: start page, the form, and its confirmation."""

from django.urls import path

from . import views

app_name = "referral"

urlpatterns = [
    path("", views.start, name="start"),
    path("referral/", views.referral_form, name="form"),
    path("sent/", views.sent, name="sent"),
]
