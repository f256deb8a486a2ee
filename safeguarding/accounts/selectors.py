"""Reading staff accounts: a user's roles in words, and whether two-step verification is set up."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User


def user_roles_describe(*, user: User) -> list[str]:
    """The user's roles in words, for before-and-after records of changes."""
    return sorted(str(role) for role in Role.objects.filter(user=user).select_related("board", "agency"))


def user_has_confirmed_device(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
