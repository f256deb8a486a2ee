"""The report in progress is kept in the session only as an encrypted token."""

import pytest
from django.contrib.sessions.backends.db import SessionStore

from safeguarding.concerns.report.session import (
    REPORT_KEY,
    Receipt,
    ReportDraft,
    draft_load,
    draft_save,
    receipt_find_stored,
    receipt_keep,
    receipt_load,
)
from tests.concerns.conftest import CANARY_NAME

pytestmark = pytest.mark.django_db


def test_a_draft_round_trips_and_is_stored_encrypted():
    session = SessionStore()
    draft = ReportDraft(answers={"people": [{"name": CANARY_NAME}]})
    draft_save(session, draft)
    session.save()

    stored = SessionStore(session.session_key)
    assert CANARY_NAME not in str(stored.load())
    assert stored[REPORT_KEY].startswith("v1:")
    again = draft_load(stored)
    assert again.key == draft.key
    assert again.answers == draft.answers


def test_a_damaged_draft_is_dropped_not_shown():
    session = SessionStore()
    draft_save(session, ReportDraft(answers={"narrative": "x"}))
    session[REPORT_KEY] = session[REPORT_KEY][:-4] + "AAAA"
    draft = draft_load(session)
    assert draft.answers == {}
    assert REPORT_KEY not in session


def test_each_new_draft_gets_its_own_idempotency_key():
    assert ReportDraft().key != ReportDraft().key
    assert len(ReportDraft().key) >= 16


def test_a_receipt_kept_by_one_request_is_found_by_another_that_loaded_the_session_earlier():
    session = SessionStore()
    session.save()
    stale = SessionStore(session.session_key)
    list(stale.items())  # loaded before the receipt was written, as a racing second submit would be

    receipt_keep(session, Receipt("journey-key-123", "C-2026-000001", "ABCD-EFGH-JKMN-PQRS"))

    assert receipt_load(stale) is None
    assert receipt_find_stored(stale, key="journey-key-123", wait_seconds=0) == Receipt(
        "journey-key-123", "C-2026-000001", "ABCD-EFGH-JKMN-PQRS"
    )
    assert receipt_find_stored(stale, key="another-journey", wait_seconds=0) is None
    assert "ABCD-EFGH" not in str(SessionStore(session.session_key).load())
