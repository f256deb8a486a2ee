"""The Django admin at /staff/admin/: a fallback for superusers only, after two-step verification.

Administrators configure the toolkit on the settings pages (/staff/settings/, decision 0031), which
are accessible, audited field by field and limited to what is safe to change. The admin stays for a
superuser to mend what those pages do not reach.

Signing in happens on the staff sign-in pages, never on the admin's own form: the admin's login and
logout send people there. config/staff_urls.py makes the default admin site this class.
"""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    site_header = "Safeguarding Partnership Toolkit: staff administration"
    site_title = "Toolkit administration"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_superuser and user.is_verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if not user.is_verified():
            return redirect_to_login(next_url, reverse("accounts:verify"))
        # Signed in and verified, but not a superuser: administrators use the settings pages.
        raise PermissionDenied

    def logout(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        from .views import logout_view

        if request.method == "POST":
            return logout_view(request)
        return redirect("accounts:logout")
