"""Nonsense sent to every staff form and filter gets a page or a clear error, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.staff import login_verified

GARBAGE = [
    {},
    {"status": "zzz", "due_date_0": "99", "due_date_1": "13", "due_date_2": "abcd"},
    {"kind": "file", "title": "x" * 500},
    {"decision": "accept", "reason": "\x00"},
    {
        "board": "999999",
        "meeting_date_0": "31",
        "meeting_date_1": "2",
        "meeting_date_2": "2026",
        "decision": "progressed_in_full",
        "minute_reference": "a",
    },
    {"rag": "purple", "reason": ""},
    {"owner_agency": "-1", "description": "\x00"},
    {
        "kind": "link",
        "url": "javascript:alert(1)",
        "title": "t",
        "effective_date_0": "1",
        "effective_date_1": "1",
        "effective_date_2": "1900",
    },
]


@pytest.mark.parametrize("role", ["admin", "manager_a", "lead_x", "member_a"])
def test_nonsense_input_never_gives_a_server_error(world, role):
    c = login_verified(Client(), world.user(role))
    action = world.action_x
    urls = [
        reverse("tracker:action_detail", args=[action.pk]),
        reverse("tracker:action_change", args=[action.pk]),
        reverse("tracker:progress_note_create", args=[action.pk]),
        reverse("tracker:evidence_create", args=[action.pk]),
        reverse("tracker:rag_override_set", args=[action.pk]),
        reverse("tracker:rag_override_clear", args=[action.pk]),
        reverse("tracker:action_create", args=[world.recommendation.pk]),
        reverse("tracker:sign_off_create", args=[world.recommendation.pk]),
        reverse("tracker:recommendation_list") + "?review=abc&board=%00&agency=-5&status=zz&page=x",
    ]
    for url in urls:
        for data in GARBAGE:
            r = c.post(url, data) if "?" not in url else c.get(url)
            assert r.status_code < 500, (url, data, r.status_code)
            # Every error names its field: never Django's words, which read the same under every field.
            for generic in (b"This field is required.", b"Select a valid choice", b"Ensure this value"):
                assert generic not in r.content, (url, data, generic)
    for url in [
        "/staff/?review=x",
        "/staff/exports/actions.csv?agency=abc",
        "/staff/exports/actions.xlsx?board=%00",
        "/staff/dashboards/boards/99999/",
    ]:
        assert c.get(url).status_code < 500, url


def test_every_tracker_form_says_what_is_missing_never_this_field_is_required():
    """Issue 12: Django's "This field is required." twice, indistinguishable, on the evidence form."""
    from safeguarding.tracker import forms

    checked = {
        forms.ActionForm: {"description": "Enter what the action is", "status": "Select the action's status"},
        forms.ProgressNoteForm: {"text": "Enter the progress note"},
        forms.EvidenceForm: {
            "kind": "Select what kind of evidence it is",
            "title": "Enter a title for the evidence",
        },
        forms.RagOverrideForm: {
            "rag": "Select the RAG status to show",
            "reason": "Enter why the computed status is wrong",
        },
        forms.EvidenceReviewForm: {"decision": "Select your decision"},
    }
    for form_class, expected in checked.items():
        form = form_class(data={})
        assert not form.is_valid()
        for name, message in expected.items():
            assert form.errors[name] == [message], (form_class.__name__, name, form.errors[name])
        every = [m for messages in form.errors.values() for m in messages]
        assert "This field is required." not in every
        assert len(every) == len(set(every)), f"{form_class.__name__}: two errors read the same"
