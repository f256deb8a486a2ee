"""Sign-in, two-step verification, setting a password from an e-mailed link, and sign-out, under
/staff/account/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("two-step/", views.verify_view, name="verify"),
    path("two-step/set-up/", views.setup_view, name="setup"),
    path("two-step/backup-codes/", views.backup_codes_view, name="backup_codes"),
    path("logout/", views.logout_view, name="logout"),
    # The link an administrator's invitation e-mails (administration.services.users).
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
