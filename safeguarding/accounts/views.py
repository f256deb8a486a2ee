"""Signing in and out of the staff area, with a password and then two-step verification.

1. /staff/account/login/: username and password (django-axes counts failures, per username).
2. First time: /staff/account/two-step/set-up/ (scan a QR code, type the first code, get backup
   codes). Every other time: /staff/account/two-step/ (an authenticator code or a backup code).
Only then is the session verified, and staff pages open (accounts.decorators.staff_required).
"""

import base64
from typing import Any
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import PasswordResetConfirmView, redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.ratelimit import rate_limit

from .devices import known_device, known_device_remember
from .forms import CodeForm, SetPasswordForm, SignInForm
from .models import User
from .selectors import user_has_confirmed_device
from .services import (
    mfa_backup_codes_create,
    mfa_enrol_confirm,
    mfa_enrolment_device,
    mfa_verify,
    user_session_forget,
    user_session_record,
)

# The backup codes made at set-up wait here until the next page shows them, once.
BACKUP_CODES_SESSION_KEY = "accounts_new_backup_codes"
WRONG_CODE = "The security code is not correct. Check the code and try again"
TOO_MANY_CODES = "You have entered too many wrong codes. Wait {seconds} seconds, then try again"


def _safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: a staff page on this site, or nowhere in particular."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/staff/")
        and not candidate.startswith("/staff/account/")
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
    ):
        return candidate
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _landing(request: HttpRequest, user: User) -> str:
    next_url = _safe_next(request)
    if next_url:
        return next_url
    # An administrator made with createsuperuser holds no role yet: the admin is where to start.
    if user.is_superuser and not user.roles.exists():
        return reverse("admin:index")
    # Everyone else lands on their home, which shows each of their roles' work (workspace).
    try:
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    except NoReverseMatch:
        return "/staff/"


def _locked_out(request: HttpRequest, user: User) -> HttpResponse:
    """Sign the half-signed-in user out and show the lockout page."""
    credentials = {"username": user.get_username()}
    auth_logout(request)
    return get_lockout_response(request, credentials=credentials)


def _mark_verified(request: HttpRequest, user: User, device: object) -> None:
    """Mark the session verified, under a new session key: the old one was only half signed in."""
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key:
        user_session_forget(session_key=old_key)
    user_session_record(user=user, session_key=request.session.session_key or "")
    otp_login(request, device)


def _posted_username(request: HttpRequest) -> str:
    return str(request.POST.get("username", "")).strip().lower()[:150]


def _unknown_device(request: HttpRequest) -> bool:
    return not known_device(request, username=_posted_username(request))


def _account_throttled(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(
        request,
        "accounts/account_throttled.html",
        {"minutes": max(1, round(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
# Sign-in attempts for one account from browsers it has never fully signed in from, whoever sends them:
# a soft limit that slows guessing spread over many addresses, and that its owner's own browser passes
# (devices.py). The hard lockout is per account and address (settings: AXES_LOCKOUT_PARAMETERS).
@rate_limit(
    "sign_in_account",
    key=_posted_username,
    when={"sign_in_account": _unknown_device},
    over_limit=_account_throttled,
)
def login_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and user.is_verified():
        return redirect(_landing(request, user))
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        assert form.user is not None  # noqa: S101  (set by a valid form)  # nosec B101
        auth_login(request, form.user)  # a new session key; the old session's data is gone
        audit_record(kind=AuditEvent.Kind.LOGIN, actor=form.user, target=form.user, summary="Signed in")
        step = "accounts:verify" if user_has_confirmed_device(user=form.user) else "accounts:setup"
        return redirect(_with_next(step, _safe_next(request)))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


def _signed_in_unverified(request: HttpRequest) -> User | HttpResponse:
    """The signed-in user who is still to pass two-step verification, or, for anyone who should not
    be on a two-step page, a response sending them where they should be."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_verified():
        return redirect(_landing(request, user))
    if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
        return _locked_out(request, user)
    return user


def _wrong_code(request: HttpRequest, user: User) -> bool:
    """Count a wrong code towards the username's lockout; True if that locked it."""
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = _signed_in_unverified(request)
    if isinstance(user, HttpResponse):
        return user
    if not user_has_confirmed_device(user=user):
        return redirect(_with_next("accounts:setup", _safe_next(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = mfa_verify(user=user, code=form.cleaned_data["code"])
        if check.ok:
            _mark_verified(request, user, check.device)
            response = redirect(_landing(request, user))
            known_device_remember(response, username=user.get_username())
            return response
        if check.throttled_seconds:
            form.add_error("code", TOO_MANY_CODES.format(seconds=check.throttled_seconds))
        else:
            if _wrong_code(request, user):
                return _locked_out(request, user)
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


def _qr_code(text: str) -> dict[str, object]:
    """A QR code as an SVG data: URI, drawn on the server: no script, no third-party service."""
    qr = segno.make(text, error="m")
    width, height = qr.symbol_size(scale=5, border=4)
    uri = qr.svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")
    return {"src": uri, "width": width, "height": height}


def _secret_for_typing(device: TOTPDevice) -> str:
    """The secret key in groups of four, as authenticator apps ask for it when typed in by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    user = _signed_in_unverified(request)
    if isinstance(user, HttpResponse):
        return user
    # Only someone with no device yet may set one up; anyone else proves they hold theirs.
    if user_has_confirmed_device(user=user):
        return redirect(_with_next("accounts:verify", _safe_next(request)))
    device = mfa_enrolment_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = mfa_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"])
        if check.ok:
            request.session[BACKUP_CODES_SESSION_KEY] = mfa_backup_codes_create(user=user)
            _mark_verified(request, user, check.device)
            response = redirect(_with_next("accounts:backup_codes", _safe_next(request)))
            known_device_remember(response, username=user.get_username())
            return response
        if check.throttled_seconds:
            form.add_error("code", TOO_MANY_CODES.format(seconds=check.throttled_seconds))
        else:
            if _wrong_code(request, user):
                return _locked_out(request, user)
            form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "next": _safe_next(request),
        "qr_code": _qr_code(device.config_url),
        "secret": _secret_for_typing(device),
    }
    return render(request, "accounts/setup.html", context)


@never_cache
@require_http_methods(["GET"])
def backup_codes_view(request: HttpRequest) -> HttpResponse:
    """The backup codes made at set-up, shown once and then forgotten by the session."""
    user = request.user
    if not (user.is_authenticated and user.is_verified()):
        return redirect_to_login(request.get_full_path())
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    context = {"codes": codes, "continue_url": _landing(request, user)}
    return render(request, "accounts/backup_codes.html", context)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm; only a POST signs out, so no link or image can sign someone out."""
    if request.method == "POST":
        user = request.user
        if user.is_authenticated:
            audit_record(kind=AuditEvent.Kind.LOGOUT, actor=user, target=user, summary="Signed out")
        auth_logout(request)
        messages.success(request, "You have signed out")
        return redirect("accounts:login")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")


class SetPasswordView(PasswordResetConfirmView):
    """Set a password from the one-time link e-mailed when an administrator made the account.

    Django's own view: it checks the token, moves it out of the address into the session before
    showing the form (so it cannot leak through the Referer header), and the link stops working once
    the password is set. The change is audited by the watch on User (the password only as "set").
    """

    form_class = SetPasswordForm
    template_name = "accounts/set_password.html"
    reset_url_token = "set"  # noqa: S105  (a word in the URL, not a secret)  # nosec B105
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in, then set up two-step verification.")
        return response
