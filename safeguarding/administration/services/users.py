"""Staff accounts on the settings pages: made (with a link by e-mail to set a password: nobody ever
sees or chooses another person's password), changed, given and relieved of roles, deactivated.

Each change is one USER_CHANGED event naming the account, with its details and roles before and
after. Passwords, set-password links and second factors are never written to the audit trail.
"""

from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.accounts.models import Role, User
from safeguarding.accounts.selectors import user_roles_describe
from safeguarding.accounts.services import user_change_record
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record, model_changes, model_values
from safeguarding.audit.watch import audited_elsewhere
from safeguarding.partnership.models import Agency, Board

USER_FIELDS = ["username", "first_name", "last_name", "email", "job_title", "agency", "is_active"]


def _details(
    *, first_name: str, last_name: str, email: str, job_title: str, agency: Agency | None, user: User | None
) -> dict[str, Any]:
    values = {
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "email": (email or "").strip().lower(),
        "job_title": (job_title or "").strip(),
        "agency": agency,
    }
    errors: dict[str, str] = {}
    if not values["first_name"]:
        errors["first_name"] = "Enter their first name"
    if not values["last_name"]:
        errors["last_name"] = "Enter their last name"
    if not values["email"]:
        errors["email"] = "Enter their e-mail address"
    elif (
        User.objects.filter(email__iexact=values["email"]).exclude(pk__in=[user.pk] if user else []).exists()
    ):
        errors["email"] = "Another account already uses this e-mail address"
    if errors:
        raise ValidationError(errors)
    return values


def user_create(
    *,
    by: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    agency: Agency | None = None,
) -> User:
    """Make an account with no usable password, and e-mail its owner a link to set one.

    They then sign in and set up two-step verification. The account holds no role until given one.
    """
    username = (username or "").strip()
    errors: dict[str, str] = {}
    try:
        values = _details(
            first_name=first_name,
            last_name=last_name,
            email=email,
            job_title=job_title,
            agency=agency,
            user=None,
        )
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        values = {}
    if not username:
        errors["username"] = "Enter a username"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "That username is taken: choose another"
    if errors:
        raise ValidationError(errors)
    user = User(username=username, **values)
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError(
            {"username": "A username may have only letters, digits and @ . + - _"}
            if "username" in error.message_dict
            else error.message_dict
        ) from None
    with transaction.atomic(), audited_elsewhere():
        user.save()
        user_change_record(
            user=user,
            by=by,
            changes=model_changes({}, model_values(user, USER_FIELDS)),
            summary=f"Created the account of {user.get_username()} in the settings pages",
        )
        _password_link_enqueue(user)
    return user


def user_update(
    *,
    user: User,
    by: Any,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    agency: Agency | None = None,
) -> User:
    values = _details(
        first_name=first_name, last_name=last_name, email=email, job_title=job_title, agency=agency, user=user
    )
    before = model_values(user, USER_FIELDS)
    for name, value in values.items():
        setattr(user, name, value)
    with transaction.atomic(), audited_elsewhere():
        user.save()
        user_change_record(user=user, by=by, changes=model_changes(before, model_values(user, USER_FIELDS)))
    return user


def user_reactivate(*, user: User, by: Any) -> User:
    """Let a deactivated account sign in again (with its password and second factor as they were)."""
    if user.is_active:
        return user
    with transaction.atomic(), audited_elsewhere():
        user.is_active = True
        user.save(update_fields=["is_active"])
        user_change_record(
            user=user,
            by=by,
            changes={"is_active": [False, True]},
            summary=f"Reactivated {user.get_username()}",
        )
    return user


# --- Roles -----------------------------------------------------------------------------------------


def role_give(*, user: User, kind: str, board: Board | None, agency: Agency | None, by: Any) -> Role:
    """Give `user` a role, for the board or agency the role needs."""
    if kind not in Role.Kind.values:
        raise ValidationError({"kind": "Select a role"})
    if kind in Role.BOARD_KINDS and board is None:
        raise ValidationError({"board": "Select the board this role is for"})
    if kind in Role.AGENCY_KINDS and agency is None:
        raise ValidationError({"agency": "Select the agency this role is for"})
    role = Role(
        user=user,
        kind=kind,
        board=board if kind in Role.BOARD_KINDS else None,
        agency=agency if kind in Role.AGENCY_KINDS else None,
    )
    if Role.objects.filter(user=user, kind=role.kind, board=role.board, agency=role.agency).exists():
        raise ValidationError({"kind": f"{user} already has this role"})
    with transaction.atomic(), audited_elsewhere():
        before = user_roles_describe(user=user)
        role.save()
        user_change_record(
            user=user,
            by=by,
            changes={"roles": [before, user_roles_describe(user=user)]},
            summary=f"Gave {user.get_username()} the role {role}",
        )
    return role


def role_remove(*, role: Role, by: Any) -> None:
    user = role.user
    if role.kind == Role.Kind.ADMINISTRATOR and getattr(by, "pk", None) == user.pk:
        raise ValidationError("You cannot remove your own administrator role. Ask another administrator.")
    with transaction.atomic(), audited_elsewhere():
        before = user_roles_describe(user=user)
        described = str(role)
        role.delete()
        user_change_record(
            user=user,
            by=by,
            changes={"roles": [before, user_roles_describe(user=user)]},
            summary=f"Removed the role {described} from {user.get_username()}",
        )


# --- The set-password link -------------------------------------------------------------------------


def password_link_message(*, user: User) -> EmailMessage:
    """The e-mail with a link to set a password. The link works once, and for PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = (
        f"Hello {user.first_name or user.get_username()},\n\n"
        "An administrator has given you an account on the safeguarding partnership toolkit.\n\n"
        f"Your username is: {user.get_username()}\n\n"
        "Set your password with this link (it works once, for "
        f"{days} day{'s' if days != 1 else ''}):\n{link}\n\n"
        "Then sign in, and set up two-step verification with an authenticator app on your phone.\n\n"
        "If you did not expect this e-mail, you can ignore it.\n"
    )
    return EmailMessage(subject="Set your password for the staff area", body=body, to=[user.email])


def password_link_send(*, user_id: int) -> bool:
    """Send the set-password e-mail (from the task worker). False if the account cannot use one."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    password_link_message(user=user).send()
    return True


def _password_link_enqueue(user: User) -> None:
    from ..tasks import password_link_send_task

    transaction.on_commit(partial(password_link_send_task.enqueue, user.pk), robust=True)


def password_link_resend(*, user: User, by: Any) -> None:
    """Send the account's owner a new set-password link (for example, the first one expired)."""
    if not user.is_active:
        raise ValidationError("Reactivate the account first.")
    if not user.email:
        raise ValidationError("Add their e-mail address first.")
    with transaction.atomic():
        audit_record(
            kind=AuditEvent.Kind.USER_CHANGED,
            actor=by,
            target=user,
            summary=f"Sent {user.get_username()} a link to set their password",
        )
        _password_link_enqueue(user)
