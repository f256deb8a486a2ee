import datetime

import pytest

from safeguarding.core.working_days import add_working_days, is_working_day, working_days_between
from safeguarding.tracker.models import Action, Rag
from safeguarding.tracker.rag import action_rag, rag_annotation
from tests.tracker.factories import ActionFactory, EvidenceFactory

TODAY = datetime.date(2026, 12, 21)  # a Monday; 25, 26 (Saturday) and 28 December are bank holidays


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert not is_working_day(datetime.date(2026, 12, 28))  # Boxing Day substitute
    assert not is_working_day(datetime.date(2026, 8, 31))  # summer bank holiday (England)
    assert is_working_day(datetime.date(2026, 12, 24))


def test_adding_working_days_skips_weekends_and_bank_holidays():
    # 22, 23, 24, 29, 30 December: the fifth working day after Monday 21 December is the 30th.
    assert add_working_days(TODAY, 5) == datetime.date(2026, 12, 30)
    assert working_days_between(TODAY, datetime.date(2026, 12, 30)) == 5
    assert working_days_between(datetime.date(2026, 12, 30), TODAY) == -5


CASES = [
    # status, due, evidence states, override, expected
    ("complete", TODAY - datetime.timedelta(days=3), ["accepted"], "", Rag.COMPLETE),
    ("impact_evidenced", None, ["accepted", "accepted"], "", Rag.COMPLETE),
    ("complete", TODAY, [], "", Rag.AMBER),
    ("complete", TODAY, ["accepted", "submitted"], "", Rag.AMBER),
    ("complete", TODAY, ["returned"], "", Rag.AMBER),
    ("in_progress", TODAY - datetime.timedelta(days=1), [], "", Rag.RED),
    ("not_started", datetime.date(2027, 1, 5), [], "", Rag.RED),  # within 10 working days
    ("in_progress", datetime.date(2027, 1, 5), [], "", Rag.AMBER),
    ("in_progress", datetime.date(2027, 3, 1), [], "", Rag.GREEN),
    ("not_started", None, [], "", Rag.AMBER),
    ("in_progress", TODAY - datetime.timedelta(days=9), [], "green", Rag.GREEN),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "due", "states", "override", "expected"), CASES)
def test_rag_rules_agree_in_python_and_sql(status, due, states, override, expected):
    action = ActionFactory(
        due_date=due,
        status=status,
        rag_override=override,
        rag_override_reason="Agreed at the board" if override else "",
    )
    for state in states:
        EvidenceFactory(
            action=action,
            note="40 of 40 trained",
            effective_date=TODAY,
            state=state,
            return_reason="Unsigned" if state == "returned" else "",
        )
    computed = action_rag(action, today=TODAY)
    assert computed.rag == expected
    assert computed.is_override == bool(override)
    in_sql = Action.objects.annotate(rag=rag_annotation(today=TODAY)).get(pk=action.pk).rag
    assert in_sql == expected.value
