"""Agency API tokens: the list, make one (the token shown once, on the page that answers the form,
never stored, logged or put in a message), revoke. The token service is accounts.tokens."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.decorators import AuthenticatedHttpRequest
from safeguarding.accounts.models import AgencyApiToken
from safeguarding.accounts.tokens import api_token_create, api_token_revoke

from .. import selectors
from ..forms import ApiTokenForm
from ..permissions import administrator_required
from .common import confirm_page, posted, section_crumb

SECTION = "tokens"


@administrator_required
@require_http_methods(["GET", "HEAD"])
def api_token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "administration/api_token_list.html",
        {"tokens": selectors.api_tokens_all(), "section": SECTION},
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_token_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        created = api_token_create(
            agency=form.cleaned_data["agency"], name=form.cleaned_data["name"], by=request.user
        )
        # The one and only showing of the secret: this response, kept by no cache and no browser history.
        response = render(
            request,
            "administration/api_token_created.html",
            {"token": created.token, "secret": created.secret, "section": SECTION},
        )
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "administration/form.html",
        {
            "form": form,
            "page_title": "Make an API token",
            "button": "Make the token",
            "back": reverse("administration:api_token_list"),
            "section": SECTION,
            "caption": "Settings",
            **section_crumb(SECTION),
            "intro": "An agency's system uses a token to send concerns to the toolkit's API. The token is "
            "shown once, on the next page: copy it straight into the system that will use it.",
        },
        status=400 if request.method == "POST" else 200,
    )


@administrator_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AgencyApiToken.objects.select_related("agency"), pk=pk, revoked_at__isnull=True)
    return confirm_page(
        request,
        title=f"Revoke the token {token.prefix}?",
        rows=[
            ("System", token.name),
            ("Agency", token.agency.name),
            ("Token starts", f"sgpt_{token.prefix}_"),
        ],
        body="It stops working at once: the system using it can no longer send concerns until it is given a "
        "new token. This cannot be undone.",
        button="Revoke the token",
        act=lambda: api_token_revoke(token=token, by=request.user),
        done=f"Token {token.prefix} revoked.",
        back=reverse("administration:api_token_list"),
        section=SECTION,
        warning=True,
    )
