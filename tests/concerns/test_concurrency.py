"""Concurrent submissions on PostgreSQL: a repeated submission makes one concern; references never clash.

SQLite serialises every write transaction, so these races cannot happen there; the tests skip on it.
"""

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from safeguarding.concerns.models import Concern, ConcernRoute
from safeguarding.concerns.services import concern_submit

from .conftest import answers, new_key

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite runs one write transaction at a time, so there is no race to test.",
    ),
]
THREADS = 10


@pytest.fixture(autouse=True)
def default_teams_and_rules():
    """Transactional tests that ran earlier empty every table, the migration's default rules too."""
    migration = importlib.import_module("safeguarding.concerns.migrations.0002_default_teams_and_rules")
    migration.create_defaults(apps, None)


def _submit_together(keys: list[str]):
    barrier = threading.Barrier(len(keys))

    def submit(key: str):
        try:
            barrier.wait(timeout=30)
            return concern_submit(answers=answers(about="not_sure"), source="public", idempotency_key=key)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        return list(pool.map(submit, keys))


def test_ten_concurrent_identical_submissions_create_exactly_one_concern():
    key = new_key()
    results = _submit_together([key] * THREADS)

    assert Concern.objects.count() == 1
    assert {result.reference for result in results} == {Concern.objects.get().reference}
    assert sum(result.created for result in results) == 1
    assert [r.receipt_code is not None for r in results].count(True) == 1
    assert ConcernRoute.objects.filter(team__isnull=False).count() == 2  # routed once, to both front doors
    assert AuditEvent.objects.filter(kind="created", target_type="concerns.concern").count() == 1


def test_ten_concurrent_different_submissions_get_ten_consecutive_references():
    results = _submit_together([new_key() for _ in range(THREADS)])

    numbers = sorted(int(result.reference[-6:]) for result in results)
    assert all(result.created for result in results)
    assert numbers == list(range(numbers[0], numbers[0] + THREADS))
    assert Concern.objects.count() == THREADS
    assert audit_verify().ok
