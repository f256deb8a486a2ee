"""Managing staff accounts in the Django admin: details, agency, roles, deactivation, two-step reset.

Every change is written to the audit trail. Deactivating (by the action, or by unticking "Active")
goes through `user_deactivate`, which also ends the user's sessions at once.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.services import model_changes, model_values
from safeguarding.audit.watch import audited_elsewhere

from .models import AgencyApiToken, Role, User
from .selectors import user_roles_describe
from .services import mfa_reset, user_change_record, user_deactivate
from .tokens import api_token_create, api_token_revoke

_AUDITED_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "agency",
    "is_active",
    "is_superuser",
]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    fields = ("kind", "board", "agency")
    autocomplete_fields = ()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email", "job_title", "agency")}),
        (
            "Access",
            {
                "fields": ("is_active", "is_superuser"),
                "description": (
                    "What a person can do comes from their roles, below. Administrators (a role) and "
                    "superusers can use this administration site, after two-step verification."
                ),
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    *("username", "first_name", "last_name", "email", "agency"),
                    *("password1", "password2"),
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "full_name", "agency", "roles_summary", "is_active", "two_step_set_up")
    list_filter = ("is_active", "roles__kind", "agency")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("last_name", "first_name", "username")
    actions = ["deactivate", "reset_two_step"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request).select_related("agency")
        return queryset.prefetch_related("roles__board", "roles__agency")

    @admin.display(description="Name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description="Roles")
    def roles_summary(self, user: User) -> str:
        return ", ".join(str(role) for role in user.roles.all())

    @admin.display(description="Two-step set up", boolean=True)
    def two_step_set_up(self, user: User) -> bool:
        return TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    # --- Audited saves -----------------------------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before: dict[str, Any] = {}
        roles_before: list[str] = []
        deactivating = False
        if change:
            stored = User.objects.get(pk=obj.pk)
            before = model_values(stored, _AUDITED_FIELDS)
            roles_before = user_roles_describe(user=stored)
            deactivating = stored.is_active and not obj.is_active
            if deactivating:
                obj.is_active = True  # user_deactivate does it, and ends the sessions, after the save
        # The admin's save hooks share nothing but the request, which declares no such attribute.
        request._accounts_before = (before, roles_before, deactivating)  # type: ignore[attr-defined]
        with audited_elsewhere():  # save_related writes the one, fuller event for the account
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user: User = form.instance
        before, roles_before, deactivating = getattr(request, "_accounts_before", ({}, [], False))
        changes = model_changes(before, model_values(user, _AUDITED_FIELDS)) if change else {}
        roles_after = user_roles_describe(user=user)
        if roles_after != roles_before:
            changes["roles"] = [roles_before, roles_after]
        summary = "" if change else f"Created the account of {user.get_username()}"
        if not change:
            changes = {"username": [None, user.get_username()], **changes}
        user_change_record(user=user, by=request.user, changes=changes, summary=summary)
        if deactivating:
            user_deactivate(user=user, by=request.user)

    # --- Actions -----------------------------------------------------------------------------------
    @admin.action(description="Deactivate the selected accounts (ends their sessions now)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(is_active=True):
            if user.pk == request.user.pk:
                self.message_user(request, "You cannot deactivate your own account.", messages.ERROR)
                continue
            user_deactivate(user=user, by=request.user)
            count += 1
        self.message_user(request, f"Deactivated {count} account(s).", messages.SUCCESS)

    @admin.action(description="Reset two-step verification (they set it up again at next sign-in)")
    def reset_two_step(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            mfa_reset(user=user, by=request.user)
        self.message_user(
            request,
            f"Reset two-step verification for {queryset.count()} account(s). Their sessions have ended.",
            messages.SUCCESS,
        )


@admin.register(AgencyApiToken)
class AgencyApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here (the secret shown once, on the page after saving) and revoked, never deleted."""

    list_display = ("name", "agency", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("agency", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "agency__name")
    fields = (
        "agency",
        "name",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once made, a token is only ever revoked: moving it to another agency would misattribute concerns.
        return (*self.readonly_fields, "agency", "name") if obj is not None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AgencyApiToken, form: Any, change: bool) -> None:
        if change:
            return  # nothing about a made token can be edited (see get_readonly_fields)
        created = api_token_create(agency=obj.agency, name=obj.name, by=request.user)
        obj.pk = created.token.pk
        obj.prefix = created.token.prefix
        obj.created_at = created.token.created_at
        # Kept on the request for response_add, the one page that shows it; HttpRequest declares no
        # such attribute, and the admin hooks share nothing else.
        request._api_token_secret = created.secret  # type: ignore[attr-defined]

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return None  # the audit trail records it (api_token_create); the admin log would duplicate it

    def response_add(
        self, request: HttpRequest, obj: AgencyApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        # The secret goes straight into this one page: never into a message, a cookie or the session.
        response = TemplateResponse(
            request,
            "accounts/api_token_created.html",
            {
                **self.admin_site.each_context(request),
                "title": "API token made",
                "token": obj,
                "secret": getattr(request, "_api_token_secret", ""),
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected tokens (they stop working at once)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[AgencyApiToken]) -> None:
        count = sum(
            api_token_revoke(token=token, by=request.user) for token in queryset.select_related("agency")
        )
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)


# django-otp's own admin pages show each device's secret key, its otpauth QR code and unused backup
# codes: with them an administrator could quietly sign in as anyone (issue 10, finding 4). Second
# factors are never shown to anyone after set-up; an administrator can only reset a user's (the
# "Reset two-step verification" action above, audited), and the user then sets up again.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
