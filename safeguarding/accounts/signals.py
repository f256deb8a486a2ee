"""Receivers for sign-in events: session bookkeeping, and failed or locked-out sign-ins in the audit trail;
and a user object forgetting what it kept about its roles when one of them is saved or deleted.

Successful sign-ins, sign-outs and two-step events are audited by the views and services that
cause them; failures are audited here because Django and django-axes report them as signals.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.user_memo import user_memo_forget

from .models import Role, User
from .services import session_signed_in_record, user_session_forget


@receiver(user_logged_in, dispatch_uid="accounts_session_signed_in")
def _signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_signed_in_record(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts_session_signed_out")
def _signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        user_session_forget(session_key=key)


def _attempted_user(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], **kw: Any) -> None:
    # Only the username: Django has already masked the password, and we keep nothing else.
    username = str(credentials.get("username") or "")[:150]
    audit_record(
        kind=AuditEvent.Kind.LOGIN_FAILED,
        target=_attempted_user(username),
        summary="Wrong username or password",
        data={"username": username},
    )


@receiver(user_locked_out, dispatch_uid="accounts_audit_locked_out")
def _locked_out(sender: Any, username: str | None = None, **kw: Any) -> None:
    username = str(username or "")[:150]
    audit_record(
        kind=AuditEvent.Kind.LOCKED_OUT,
        target=_attempted_user(username),
        summary="Locked out after repeated failures",
        data={"username": username},
    )


@receiver([post_save, post_delete], sender=Role, dispatch_uid="accounts_held_roles_forget")
def _role_changed(sender: Any, instance: Role, **kwargs: Any) -> None:
    # Only the user object the role holds (if it was loaded) can have kept the old roles in this
    # process: other requests make their user objects afresh.
    if Role.user.is_cached(instance):
        user_memo_forget(instance.user)
