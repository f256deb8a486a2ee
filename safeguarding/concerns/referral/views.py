"""The professional referral at /refer/: a start page, one form page, and a confirmation.

Nothing is kept on the server while the form is filled in: "Add another" posts the whole form back
and it is shown again with one more row. Only the outcome (reference and receipt code, to show
once on the confirmation page) goes into the session, encrypted. Every POST counts against the
"report_step" rate limit, and sending also against "report_submit". No page may be cached.
"""

import json
import re
import uuid

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.concerns.models import Concern, Sign
from safeguarding.concerns.selectors import concern_team_names
from safeguarding.concerns.services import ConcernInvalid, concern_submit
from safeguarding.core.crypto import DecryptionError, decrypt_text, encrypt_text
from safeguarding.core.page_cache import public_page
from safeguarding.core.ratelimit import rate_limit
from safeguarding.partnership.models import Agency

from . import forms

CONFIRMATION_SESSION_KEY = "referral_confirmation"
CONFIRMATION_PURPOSE = "concerns.referral.confirmation"
_KEY = re.compile(r"[0-9a-f]{32}")


def _sending(request: HttpRequest) -> bool:
    """Whether this POST sends the referral, rather than asking for one more row."""
    return not forms.referral_action(request.POST).startswith("add-")


@public_page()
@never_cache
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/referral/start.html")


def _page(
    request: HttpRequest, form: forms.ReferralInput, errors: dict[str, str], focus: str = ""
) -> HttpResponse:
    ticked = set(form.signs)
    return render(
        request,
        "concerns/referral/form.html",
        {
            "form": form,
            "values": form.values,
            "errors": errors,
            "error_list": list(errors.items()),
            "focus": focus,
            "agencies": Agency.objects.order_by("name"),
            "signs": [(code, label, code in ticked) for code, label in Sign.choices],
            "groups": [
                {
                    "group": group,
                    "rows": [
                        {
                            "n": n,
                            "fields": [
                                {
                                    "id": f"{group.key}-{n}-{name}",
                                    "name": name,
                                    "label": label,
                                    "value": row.get(name, ""),
                                    "error": errors.get(f"{group.key}-{n}-{name}", ""),
                                }
                                for name, label in group.fields
                            ],
                        }
                        for n, row in enumerate(form.rows[group.key])
                    ],
                    "count": len(form.rows[group.key]),
                    "full": len(form.rows[group.key]) >= forms.ROWS_MAX,
                }
                for group in forms.GROUPS
            ],
            "person_roles": forms.PERSON_ROLES,
            "about_choices": forms.ABOUT_CHOICES,
            "consent_choices": forms.CONSENT_CHOICES,
            "lawful_bases": forms.LAWFUL_BASES,
            "knows_choices": forms.KNOWS_CHOICES,
            "yes_no": forms.YES_NO,
        },
        status=200,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("report_step", "report_submit", when={"report_submit": _sending})
def referral_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        empty = forms.referral_read(QueryDict())
        # One key per form instance: a double click or a resend makes one concern, not two.
        empty.idempotency_key = uuid.uuid4().hex
        return _page(request, empty, {})
    form = forms.referral_read(request.POST)
    if not _KEY.fullmatch(form.idempotency_key):
        # Not a key this page made (tampered with, or lost): this is then a new form instance.
        form.idempotency_key = uuid.uuid4().hex
    action = forms.referral_action(request.POST)
    if action.startswith("add-"):
        focus = forms.referral_add_row(form, action.removeprefix("add-")) or ""
        return _page(request, form, {}, focus=focus)
    answers = forms.referral_answers(form)
    errors = forms.referral_errors(form, answers)
    if errors:
        return _page(request, form, errors)
    try:
        result = concern_submit(
            answers=answers, source=Concern.Source.PROFESSIONAL, idempotency_key=form.idempotency_key
        )
    except ConcernInvalid as invalid:
        # What only the service can know, such as an agency removed while the form was open.
        return _page(request, form, forms.referral_errors_placed(form, invalid.errors))
    if result.created or CONFIRMATION_SESSION_KEY not in request.session:
        # On a resend the receipt code was given the first time; the reference is shown again.
        sent = {
            "reference": result.reference,
            "receipt_code": result.receipt_code,
            "teams": concern_team_names(result.concern),
        }
        request.session[CONFIRMATION_SESSION_KEY] = encrypt_text(
            json.dumps(sent), purpose=CONFIRMATION_PURPOSE
        )
    return redirect("referral:sent")


@never_cache
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    token = request.session.get(CONFIRMATION_SESSION_KEY)
    outcome: dict = {}
    if isinstance(token, str):
        try:
            outcome = json.loads(decrypt_text(token, purpose=CONFIRMATION_PURPOSE))
        except (DecryptionError, ValueError):
            outcome = {}
    # The receipt code is shown once: a reload of this page no longer shows it.
    request.session.pop(CONFIRMATION_SESSION_KEY, None)
    return render(
        request,
        "concerns/referral/sent.html",
        {
            "reference": outcome.get("reference"),
            "receipt_code": outcome.get("receipt_code"),
            "teams": outcome.get("teams") or [],
        },
    )
