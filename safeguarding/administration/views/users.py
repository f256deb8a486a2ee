"""Staff accounts: the list, make one (its owner is e-mailed a link to set a password), change its
details, give or remove roles, deactivate or reactivate, reset two-step verification."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.accounts.models import Role, User
from safeguarding.accounts.services import mfa_reset, user_deactivate

from .. import selectors, services
from ..forms import RoleForm, UserCreateForm, UserDetailsForm, UserSearchForm
from ..permissions import administrator_required
from .common import confirm_page, form_page, posted

SECTION = "users"
USERS_PER_PAGE = 50


def _user_url(user: User) -> str:
    return reverse("administration:user_detail", kwargs={"pk": user.pk})


def _query_params(form: UserSearchForm) -> QueryDict:
    """The search and filters as a query string for the page links: nothing else the address held."""
    params = QueryDict(mutable=True)
    params.update({name: value for name, value in form.cleaned_data.items() if value})
    return params


@administrator_required
@require_http_methods(["GET", "HEAD"])
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """50 accounts a page, by name, searched and filtered by a GET form. A page past the end shows the
    last; anything the form does not offer gets the form back with its error and a 400."""
    form = UserSearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "section": SECTION, "title": "Users"}
    if not form.is_valid():
        return render(request, "administration/user_list.html", context, status=400)
    filters = form.filters()
    paginator = Paginator(selectors.users_listed(**filters), USERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    if paginator.num_pages > 1:
        context["title"] = f"Users (page {page.number} of {paginator.num_pages})"
    context |= {
        "page": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        # Page links keep the search and filters, and nothing else.
        "query_params": _query_params(form),
        "searched": bool(filters["words"] or filters["role"]),
        "active": filters["active"],
    }
    return render(request, "administration/user_list.html", context)


@administrator_required
@require_http_methods(["GET", "HEAD"])
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    return render(
        request,
        "administration/user_detail.html",
        {"account": selectors.user_described(user=user), "section": SECTION},
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=UserCreateForm(posted(request)),
        title="Add a user",
        button="Add the user",
        act=lambda f: services.user_create(by=request.user, **f.cleaned_data),
        done="User added. They have been e-mailed a link to set their password. Give them a role next.",
        back=reverse("administration:user_list"),
        then=_user_url,
        section=SECTION,
        intro="They will be e-mailed a link to set their own password, then set up two-step verification "
        "when they first sign in. Nobody else ever sees their password.",
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    return form_page(
        request,
        form=UserDetailsForm(posted(request), initial=UserDetailsForm.initial_for(user)),
        title=f"Change the details of {user}",
        button="Save the details",
        act=lambda f: services.user_update(user=user, by=request.user, **f.cleaned_data),
        done="Details saved.",
        back=_user_url(user),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    return form_page(
        request,
        form=RoleForm(posted(request)),
        title=f"Give {user} a role",
        caption=str(user),
        button="Give the role",
        act=lambda f: services.role_give(user=user, by=request.user, **f.cleaned_data),
        done="Role given. It applies from their next page.",
        back=_user_url(user),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_remove(request: AuthenticatedHttpRequest, pk: int, role_pk: int) -> HttpResponse:
    role = get_object_or_404(Role.objects.select_related("user", "board", "agency"), pk=role_pk, user_id=pk)
    return confirm_page(
        request,
        title=f"Remove the role {role} from {role.user}?",
        body="They lose what the role lets them do from their next page.",
        button="Remove the role",
        act=lambda: services.role_remove(role=role, by=request.user),
        done="Role removed.",
        back=_user_url(role.user),
        section=SECTION,
        warning=True,
    )


def _deactivate(user: User, by: User) -> None:
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.")
    user_deactivate(user=user, by=by)


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if user.is_active:
        return confirm_page(
            request,
            title=f"Deactivate {user}?",
            body="They will be signed out at once and cannot sign in again. Their roles, teams and history "
            "stay, so you can reactivate the account later.",
            button="Deactivate",
            act=lambda: _deactivate(user, request.user),
            done=f"{user} deactivated and signed out.",
            back=_user_url(user),
            section=SECTION,
            warning=True,
        )
    return confirm_page(
        request,
        title=f"Reactivate {user}?",
        body="They will be able to sign in again, with their roles as they were.",
        button="Reactivate",
        act=lambda: services.user_reactivate(user=user, by=request.user),
        done=f"{user} reactivated.",
        back=_user_url(user),
        section=SECTION,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_two_step_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    return confirm_page(
        request,
        title=f"Reset two-step verification for {user}?",
        body="Their authenticator app and backup codes stop working, and they are signed out. They set up "
        "two-step verification again when they next sign in. Do this only when you are sure who asked.",
        button="Reset two-step verification",
        act=lambda: mfa_reset(user=user, by=request.user),
        done="Two-step verification reset. They will set it up again at their next sign-in.",
        back=_user_url(user),
        section=SECTION,
        warning=True,
    )


@administrator_required
@require_POST
def user_password_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services.password_link_resend(user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A link to set their password has been sent to {user.email}.")
    return redirect(_user_url(user))
