"""Permissions in the Django admin for holders of the administrator role.

The admin asks `user.has_perm("app.change_model")` for every page and button. Administrators may
do everything there that a superuser may, so this backend says yes to them; each ModelAdmin still
decides what is read-only (the audit log is). It authenticates nobody.
"""

from typing import Any

from django.contrib.auth.backends import BaseBackend

from .models import Role


def _administrator(user_obj: Any) -> bool:
    if not (user_obj.is_active and user_obj.is_authenticated):
        return False
    cached = getattr(user_obj, "_accounts_administrator", None)
    if cached is None:
        cached = user_obj.roles.filter(kind=Role.Kind.ADMINISTRATOR).exists()
        user_obj._accounts_administrator = cached
    return cached


class AdministratorRoleBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return _administrator(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return _administrator(user_obj)
