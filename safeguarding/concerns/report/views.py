"""The public report journey at /report/ and the follow-up page (docs/decisions/0016).

Views only read the form, ask `journey` where to go, keep the answers with `session` and call the
concerns services. Every page shows concern answers or may, so none is cached, and every POST counts
towards the client's rate limit.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.page_cache import public_page
from safeguarding.core.ratelimit import rate_limit

from ..answers import ConcernInvalid
from ..models import Concern
from ..services import (
    FOLLOW_UP_MAX_LENGTH,
    ReceiptNotRecognised,
    concern_follow_up,
    concern_receipt_status,
    concern_submit,
)
from . import forms, journey
from .follow_up_forms import FollowUpForm
from .lists import ITEM_LISTS, MAX_ITEMS, ItemList, item_lines, item_title
from .session import (
    Receipt,
    draft_clear,
    draft_load,
    draft_save,
    receipt_find_stored,
    receipt_keep,
    receipt_load,
    receipt_seconds,
)
from .summary import check_sections

EXIT_TO = "https://www.bbc.co.uk/weather"
_FOLLOW_UP_RESULT = "concerns.report.follow_up_result"


@dataclass(frozen=True)
class Question:
    form: type[forms.StepForm]
    template: str


QUESTIONS: dict[str, Question] = {
    journey.DANGER: Question(forms.DangerForm, "concerns/report/danger.html"),
    journey.ABOUT: Question(forms.AboutForm, "concerns/report/about.html"),
    journey.NARRATIVE: Question(forms.NarrativeForm, "concerns/report/narrative.html"),
    journey.SIGNS: Question(forms.SignsForm, "concerns/report/signs.html"),
    journey.WHERE_AND_WHEN: Question(forms.WhereAndWhenForm, "concerns/report/where_and_when.html"),
    journey.ABOUT_YOU: Question(forms.AboutYouForm, "concerns/report/about_you.html"),
    journey.RELATIONSHIP: Question(forms.RelationshipForm, "concerns/report/relationship.html"),
    journey.ADULT_KNOWS: Question(forms.AdultKnowsForm, "concerns/report/adult_knows.html"),
    journey.ADULT_WANTS: Question(forms.AdultWantsForm, "concerns/report/adult_wants.html"),
}


def _returning(request: HttpRequest) -> bool:
    return request.GET.get("return") == "check"


def _step_url(step: str, *, returning: bool = False) -> str:
    if step == journey.CHECK:
        return reverse("report:check")
    if step == journey.CALL_999:
        url = reverse("report:call_999")
    elif step in ITEM_LISTS:
        url = reverse("report:item_list", kwargs={"step": step})
    else:
        url = reverse("report:question", kwargs={"step": step})
    return f"{url}?return=check" if returning else url


def _back_url(step: str, answers: dict[str, Any], *, returning: bool) -> str:
    previous = journey.step_previous(step, answers, returning_to_check=returning)
    return _step_url(previous) if previous else reverse("report:start")


# The start page shows nothing of anyone's report, so one copy serves every visitor without a session.
@public_page()
@never_cache
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/report/start.html", {"first_url": _step_url(journey.DANGER)})


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("report_step")
def question(request: HttpRequest, step: str) -> HttpResponse:
    asked = QUESTIONS.get(step)
    if asked is None:
        raise Http404
    draft = draft_load(request.session)
    returning = _returning(request)
    if request.method == "POST":
        form = asked.form(request.POST)
        if form.is_valid():
            form.answers_update(draft.answers)
            draft_save(request.session, draft)
            following = journey.step_next(step, draft.answers, returning_to_check=returning)
            return redirect(_step_url(following, returning=returning and following == journey.CALL_999))
    else:
        form = asked.form(initial=asked.form.initial_from(draft.answers))
    context = {"form": form, "back_url": _back_url(step, draft.answers, returning=returning)}
    return render(request, asked.template, context)


@never_cache
@require_safe
def call_999(request: HttpRequest) -> HttpResponse:
    draft = draft_load(request.session)
    returning = _returning(request)
    following = journey.step_next(journey.CALL_999, draft.answers, returning_to_check=returning)
    context = {
        "continue_url": _step_url(following),
        "back_url": _step_url(journey.DANGER, returning=returning),
    }
    return render(request, "concerns/report/call_999.html", context)


def _item_list(step: str) -> ItemList:
    item_list = ITEM_LISTS.get(step)
    if item_list is None:
        raise Http404
    return item_list


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("report_step")
def item_list(request: HttpRequest, step: str) -> HttpResponse:
    """The list added so far, and "Do you want to add another?" (GOV.UK "add another" pattern)."""
    kind = _item_list(step)
    draft = draft_load(request.session)
    items = kind.items(draft.answers)
    returning = _returning(request)
    question_text = f"Do you want to add another {kind.one}?" if items else kind.first_question
    form = forms.AddAnotherForm(
        request.POST or None,
        message=f"Select yes if you want to add {'another' if items else 'a'} {kind.one}",
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add"] == "yes" and len(items) < MAX_ITEMS:
            url = reverse("report:item_add", kwargs={"step": step})
            return redirect(f"{url}?return=check" if returning else url)
        if kind.field not in draft.answers:
            draft.answers[kind.field] = []  # answered "no": the check page shows the question was asked
            draft_save(request.session, draft)
        return redirect(_step_url(journey.step_next(step, draft.answers, returning_to_check=returning)))
    rows = [
        {
            "title": item_title(kind, item),
            "lines": item_lines(kind, item),
            "change_url": reverse("report:item_change", kwargs={"step": step, "position": position}),
            "remove_url": reverse("report:item_remove", kwargs={"step": step, "position": position}),
            "position": position,
        }
        for position, item in enumerate(items, start=1)
    ]
    context = {
        "kind": kind,
        "rows": rows,
        "form": form,
        "question": question_text,
        "full": len(items) >= MAX_ITEMS,
        "max_items": MAX_ITEMS,
        "return_query": "?return=check" if returning else "",
        "back_url": _back_url(step, draft.answers, returning=returning),
    }
    return render(request, "concerns/report/item_list.html", context)


def _item_form_page(
    request: HttpRequest, kind: ItemList, *, position: int | None, item: dict[str, Any] | None
) -> HttpResponse:
    draft = draft_load(request.session)
    returning = _returning(request)
    list_url = reverse("report:item_list", kwargs={"step": kind.step})
    done_url = (
        reverse("report:check")
        if returning and position
        else list_url + ("?return=check" if returning else "")
    )
    if request.method == "POST":
        form = kind.form(request.POST)
        if form.is_valid():
            items = kind.items(draft.answers)
            if position is None:
                if len(items) < MAX_ITEMS:
                    items.append(form.item())
            else:
                items[position - 1] = form.item()
            draft.answers[kind.field] = items
            draft_save(request.session, draft)
            return redirect(done_url)
    else:
        form = kind.form(initial=kind.form.initial_from(item) if item else {})
    context = {
        "kind": kind,
        "form": form,
        "adding": position is None,
        "back_url": reverse("report:check") if returning and position else list_url,
    }
    return render(
        request, f"concerns/report/item_{kind.form.__name__.removesuffix('Form').lower()}.html", context
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("report_step")
def item_add(request: HttpRequest, step: str) -> HttpResponse:
    kind = _item_list(step)
    if len(kind.items(draft_load(request.session).answers)) >= MAX_ITEMS:
        return redirect("report:item_list", step=step)
    return _item_form_page(request, kind, position=None, item=None)


def _item_at(request: HttpRequest, kind: ItemList, position: int) -> dict[str, Any]:
    items = kind.items(draft_load(request.session).answers)
    if not 1 <= position <= len(items):
        raise Http404
    return items[position - 1]


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("report_step")
def item_change(request: HttpRequest, step: str, position: int) -> HttpResponse:
    kind = _item_list(step)
    return _item_form_page(request, kind, position=position, item=_item_at(request, kind, position))


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("report_step")
def item_remove(request: HttpRequest, step: str, position: int) -> HttpResponse:
    kind = _item_list(step)
    item = _item_at(request, kind, position)
    list_url = reverse("report:item_list", kwargs={"step": step})
    if request.method == "POST":
        draft = draft_load(request.session)
        items = kind.items(draft.answers)
        del items[position - 1]
        draft.answers[kind.field] = items
        draft_save(request.session, draft)
        return redirect(list_url)
    context = {
        "kind": kind,
        "title": item_title(kind, item),
        "lines": item_lines(kind, item),
        "back_url": list_url,
    }
    return render(request, "concerns/report/item_remove.html", context)


def _confirmation(request: HttpRequest, receipt: Receipt) -> HttpResponse:
    draft_clear(request.session)
    if receipt_load(request.session) != receipt:
        receipt_keep(request.session, receipt)
    return redirect("report:confirmation")


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("report_step", "report_submit")
def check(request: HttpRequest) -> HttpResponse:
    """Check your answers, and send them. A double click sends twice: both end on the one receipt."""
    draft = draft_load(request.session)
    errors: list[str] = []
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")
        earlier = receipt_load(request.session)
        if earlier and earlier.key == key:  # sent already; this is the second click
            return redirect("report:confirmation")
        if not draft.answers or key != draft.key:
            # The answers went with an earlier submit of this form, racing this one, or the session ended.
            found = receipt_find_stored(request.session, key=key, wait_seconds=0) if key else None
            return _confirmation(request, found) if found else redirect("report:start")
        try:
            result = concern_submit(
                answers=journey.answers_for_submit(draft.answers),
                source=Concern.Source.PUBLIC,
                idempotency_key=draft.key,
            )
        except ConcernInvalid as invalid:
            errors = [error["message"] for error in invalid.errors]
        else:
            if result.receipt_code is not None:
                return _confirmation(request, Receipt(draft.key, result.reference, result.receipt_code))
            found = receipt_find_stored(request.session, key=draft.key)
            if found:
                return _confirmation(request, found)
            # Sent before, and its code already shown or lost with the session: say so, honestly.
            draft_clear(request.session)
            return render(request, "concerns/report/already_sent.html", {"reference": result.reference})
    missing = journey.step_missing(draft.answers)
    if missing and not errors:
        return redirect(_step_url(missing))
    context = {
        "sections": check_sections(draft.answers),
        "idempotency_key": draft.key,
        "errors": errors,
        "back_url": _step_url(journey.steps_for(draft.answers)[-2]),
    }
    return render(request, "concerns/report/check.html", context)


@never_cache
@require_safe
def confirmation(request: HttpRequest) -> HttpResponse:
    """The reference and the receipt code; shown again on reload in this browser for a short time
    (REPORT_RECEIPT_SHOW_SECONDS), never after Exit this page."""
    receipt = receipt_load(request.session)
    if receipt is None:
        return redirect("report:start")
    draft_clear(request.session)
    minutes = max(1, receipt_seconds() // 60)
    return render(request, "concerns/report/confirmation.html", {"receipt": receipt, "minutes": minutes})


@never_cache
@require_safe
def receipt_text(request: HttpRequest) -> HttpResponse:
    """The reference and receipt code as a text file to save, from the session (nothing in the URL)."""
    receipt = receipt_load(request.session)
    if receipt is None:
        return redirect("report:start")
    follow_up = request.build_absolute_uri(reverse("report:follow_up"))
    text = render_to_string("concerns/report/receipt.txt", {"receipt": receipt, "follow_up": follow_up})
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="report-receipt.txt"'
    return response


@never_cache
@require_safe
def exit_page(request: HttpRequest) -> HttpResponse:
    """Exit this page: forget the report in this browser and go somewhere ordinary."""
    request.session.flush()
    return HttpResponseRedirect(EXIT_TO)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("follow_up")
def follow_up(request: HttpRequest) -> HttpResponse:
    """Add information to a report, or check that it arrived, with its reference and receipt code."""
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference, code = form.cleaned_data["reference"], form.cleaned_data["receipt_code"]
        text = form.cleaned_data["information"]
        try:
            if text:
                concern_follow_up(reference=reference, receipt_code=code, text=text)
            status = concern_receipt_status(reference=reference, receipt_code=code)
        except ReceiptNotRecognised as unknown:
            form.add_error(None, str(unknown))
        except ConcernInvalid as invalid:
            for error in invalid.errors:
                form.add_error("information", error["message"])
        else:
            request.session[_FOLLOW_UP_RESULT] = {"status": status, "added": bool(text)}
            return redirect("report:follow_up_result")
    return render(
        request, "concerns/report/follow_up.html", {"form": form, "max_length": FOLLOW_UP_MAX_LENGTH}
    )


@never_cache
@require_safe
def follow_up_result(request: HttpRequest) -> HttpResponse:
    result = request.session.pop(_FOLLOW_UP_RESULT, None)
    if not isinstance(result, dict):
        return redirect("report:follow_up")
    return render(request, "concerns/report/follow_up_result.html", {"result": result})
