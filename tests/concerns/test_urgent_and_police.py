"""The urgent clock (TOOLKIT_URGENT_DECISION_HOURS), "Mark as urgent", and the prompt to record whether
the police were called where immediate danger was reported (docs/decisions/0030)."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns import services
from safeguarding.concerns.clocks import clock_time_left, urgent_decision_hours
from safeguarding.concerns.models import Concern, PoliceCallRecord
from tests.concerns.conftest import database_text
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.staff import concern_views, login_verified, post

pytestmark = pytest.mark.django_db

# A Friday evening: the child's working-day clock would run to 17:00 on Monday.
FRIDAY_EVENING = datetime.datetime(2026, 6, 5, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def worker():
    return TeamMemberFactory(
        teams=["children-front-door"], viewer=True, first_name="Wren", last_name="Worker"
    )


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def detail(client, concern):
    return client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk}))


# --- The urgent clock --------------------------------------------------------------------------------


def test_immediate_danger_gets_the_urgent_clock_round_the_clock():
    concern = ConcernFactory(about="child", immediate_danger=True, received_at=FRIDAY_EVENING)
    assert concern.urgent
    assert concern.decision_due_at == FRIDAY_EVENING + datetime.timedelta(hours=4)


def test_a_concern_not_urgent_keeps_its_statutory_clock():
    concern = ConcernFactory(about="child", received_at=FRIDAY_EVENING)
    assert concern.decision_due_at == datetime.datetime(2026, 6, 8, 16, 0, tzinfo=datetime.UTC)  # 17:00 BST


def test_the_urgent_clock_is_a_setting(settings):
    settings.TOOLKIT_URGENT_DECISION_HOURS = 2
    concern = ConcernFactory(about="adult", immediate_danger=True, received_at=FRIDAY_EVENING)
    assert concern.decision_due_at == FRIDAY_EVENING + datetime.timedelta(hours=2)


@pytest.mark.parametrize("value", [0, -1, "4", True])
def test_a_bad_urgent_clock_setting_is_refused_clearly(settings, value):
    settings.TOOLKIT_URGENT_DECISION_HOURS = value
    with pytest.raises(ValueError, match="TOOLKIT_URGENT_DECISION_HOURS"):
        urgent_decision_hours()


def test_an_urgent_clock_counts_ordinary_hours_even_for_a_child():
    due = FRIDAY_EVENING + datetime.timedelta(hours=4)
    left = clock_time_left(
        deadline=due, now=FRIDAY_EVENING + datetime.timedelta(hours=1), about="child", urgent=True
    )
    assert left.text == "3 hours left"


# --- Mark as urgent ----------------------------------------------------------------------------------


def test_marking_urgent_moves_the_deadline_and_is_audited(client, worker):
    concern = ConcernFactory(about="child", received_at=FRIDAY_EVENING)
    marked_at = FRIDAY_EVENING + datetime.timedelta(hours=1)
    with time_machine.travel(marked_at, tick=False):
        login_verified(client, worker)
        response = post(client, reverse("concerns:concern_mark_urgent", kwargs={"pk": concern.pk}))
        assert response.status_code == 302
        page = soup(detail(client, concern))
    concern.refresh_from_db()
    assert concern.urgent
    assert concern.decision_due_at == marked_at + datetime.timedelta(hours=4)
    event = AuditEvent.objects.get(summary=f"Concern {concern.reference} marked urgent")
    assert event.changes["urgent"] == [False, True]
    assert concern.routes.filter(marked_urgent=True, team=None).exists()

    assert "The concern is marked urgent: a decision is due within 4 hours." in page.get_text()
    assert page.find(id="urgency").select_one(".govuk-tag").get_text(strip=True) == "Urgent"
    assert page.find(id="time-left").get_text(" ", strip=True).startswith("4 hours left")
    assert page.find("button", string="Mark as urgent") is None
    titles = [title.get_text(strip=True) for title in page.select("#timeline .moj-timeline__title")]
    assert titles[0] == "Marked urgent"


def test_marking_urgent_never_makes_the_deadline_later(worker):
    concern = ConcernFactory(about="child", received_at=FRIDAY_EVENING)
    late = FRIDAY_EVENING + datetime.timedelta(days=3, hours=20)  # Monday 14:00, due 17:00 that day
    with time_machine.travel(late, tick=False):
        services.concern_mark_urgent(concern=concern, by=worker)
    concern.refresh_from_db()
    assert concern.decision_due_at == datetime.datetime(2026, 6, 8, 16, 0, tzinfo=datetime.UTC)


def test_an_urgent_concern_cannot_be_marked_again(client, worker):
    concern = ConcernFactory(about="child", immediate_danger=True)
    login_verified(client, worker)
    response = post(client, reverse("concerns:concern_mark_urgent", kwargs={"pk": concern.pk}), follow=True)
    assert "This concern is already urgent." in soup(response).get_text()


# --- Whether the police were called ------------------------------------------------------------------


def test_the_prompt_shows_only_where_immediate_danger_was_reported(client, worker):
    danger = ConcernFactory(about="child", immediate_danger=True)
    calm = ConcernFactory(about="child")
    login_verified(client, worker)
    prompt = soup(detail(client, danger)).find(id="police-prompt")
    assert "Record whether the police were called." in prompt.get_text()
    assert soup(detail(client, calm)).find(id="police-prompt") is None
    assert soup(detail(client, calm)).find(id="police-called") is None


def test_answering_the_prompt_records_it_encrypted_audited_and_in_the_timeline(client, worker):
    concern = ConcernFactory(about="child", immediate_danger=True)
    login_verified(client, worker)
    note = "Fictional incident number 0417 of 3 June"
    response = post(
        client,
        reverse("concerns:concern_police_call", kwargs={"pk": concern.pk}),
        {"answer": "yes", "note": note},
    )
    assert response.status_code == 302
    record = PoliceCallRecord.objects.get(concern=concern)
    assert (record.answer, record.note, record.recorded_by) == ("yes", note, worker)
    assert note not in database_text()  # encrypted at rest
    event = AuditEvent.objects.get(target_type="concerns.policecallrecord")
    assert event.data == {"answer": "yes", "note": True}
    assert note not in str(event.__dict__)

    page = soup(detail(client, concern))
    assert page.find(id="police-prompt") is None  # answered: the prompt has gone
    assert page.find(id="police-called").get_text(" ", strip=True).startswith("Yes, the police were called")
    first = page.select_one("#timeline .moj-timeline__item")
    assert (
        first.select_one(".moj-timeline__title").get_text(strip=True)
        == "Police called: Yes, the police were called"
    )
    assert note in first.get_text()


def test_an_empty_answer_is_a_specific_error_and_the_page_is_audited(client, worker):
    concern = ConcernFactory(about="child", immediate_danger=True)
    login_verified(client, worker)
    response = post(
        client, reverse("concerns:concern_police_call", kwargs={"pk": concern.pk}), {"answer": "maybe"}
    )
    assert response.status_code == 200
    page = soup(response)
    assert (
        page.select_one(".govuk-error-summary a").get_text(strip=True)
        == "Select whether the police were called."
    )
    assert page.select_one(".govuk-error-summary a")["href"] == "#police-answer"
    assert page.find(id="police-answer") is not None
    assert not PoliceCallRecord.objects.exists()
    assert "Record whether the police were called" in concern_views(concern)[-1]


def test_a_later_answer_corrects_an_earlier_one(worker):
    concern = ConcernFactory(about="child", immediate_danger=True)
    services.police_call_record(concern=concern, answer="not_known", note="", by=worker)
    services.police_call_record(concern=concern, answer="no", note="", by=worker)
    assert list(concern.police_call_records.values_list("answer", flat=True)) == ["not_known", "no"]


def test_a_closed_concern_cannot_be_marked_urgent(worker):
    concern = ConcernFactory(about="child")
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.CLOSED)
    with pytest.raises(Exception, match="Reopen it first"):
        services.concern_mark_urgent(concern=concern, by=worker)


# --- Remove urgent -----------------------------------------------------------------------------------


def remove_urgent(client, concern, reason="Fictional reason: the family is safe with relatives.", **kwargs):
    url = reverse("concerns:concern_remove_urgent", kwargs={"pk": concern.pk})
    return post(client, url, {"reason": reason}, **kwargs)


def test_removing_urgent_puts_the_statutory_clock_back_and_is_audited(client, worker):
    concern = ConcernFactory(about="child", received_at=FRIDAY_EVENING)
    statutory = concern.decision_due_at  # 17:00 on Monday
    marked_at = FRIDAY_EVENING + datetime.timedelta(hours=1)
    with time_machine.travel(marked_at, tick=False):
        services.concern_mark_urgent(concern=concern, by=worker)
    removed_at = marked_at + datetime.timedelta(hours=1)
    reason = "Fictional reason: the family is safe with relatives."
    with time_machine.travel(removed_at, tick=False):
        login_verified(client, worker)
        page = soup(detail(client, concern))
        link = page.find(id="urgency").find_parent("div").find("a", string="Remove urgent")
        assert link["href"] == reverse("concerns:concern_remove_urgent", kwargs={"pk": concern.pk})
        form_page = soup(client.get(link["href"]))
        assert form_page.find("h1").get_text(strip=True) == "Remove urgent"
        response = remove_urgent(client, concern, reason)
        assert response.status_code == 302
        page = soup(detail(client, concern))
    concern.refresh_from_db()
    assert not concern.urgent
    assert concern.decision_due_at == statutory == datetime.datetime(2026, 6, 8, 16, 0, tzinfo=datetime.UTC)
    event = AuditEvent.objects.get(summary=f"Concern {concern.reference} no longer urgent")
    assert event.actor_id == worker.pk
    assert event.changes == {
        "urgent": [True, False],
        "decision_due_at": [(marked_at + datetime.timedelta(hours=4)).isoformat(), statutory.isoformat()],
    }
    assert reason not in str(event.__dict__)  # why is kept on the concern, encrypted, not in the audit
    removal = concern.urgency_removals.get()
    assert (removal.reason, removal.removed_by, removal.removed_at) == (reason, worker, removed_at)
    assert reason not in database_text()
    assert "Remove urgent" in concern_views(concern)[-2]  # the form page's showing was audited

    assert "The concern is no longer urgent." in page.get_text()
    assert page.find(id="urgency").get_text(strip=True).startswith("Not urgent")
    assert page.find("button", string="Mark as urgent") is not None  # it can be marked again
    assert page.find("a", string="Remove urgent") is None
    first = page.select_one("#timeline .moj-timeline__item")
    assert first.select_one(".moj-timeline__title").get_text(strip=True) == "Urgent removed"
    assert reason in first.get_text()
    assert "Wren Worker" in first.get_text()


def test_removing_urgent_keeps_the_urgent_clock_where_immediate_danger_was_reported(worker):
    concern = ConcernFactory(about="child", immediate_danger=True, received_at=FRIDAY_EVENING)
    assert concern.urgent  # the default rule marks it urgent
    with time_machine.travel(FRIDAY_EVENING + datetime.timedelta(hours=2), tick=False):
        services.concern_remove_urgent(concern=concern, reason="Fictional reason", by=worker)
    concern.refresh_from_db()
    assert not concern.urgent
    assert concern.decision_due_at == FRIDAY_EVENING + datetime.timedelta(hours=4)


def test_removing_urgent_from_an_adult_puts_back_the_24_hours(worker):
    concern = ConcernFactory(about="adult", received_at=FRIDAY_EVENING)
    services.concern_mark_urgent(concern=concern, by=worker)
    services.concern_remove_urgent(concern=concern, reason="Fictional reason", by=worker)
    concern.refresh_from_db()
    assert (concern.urgent, concern.decision_due_at) == (False, FRIDAY_EVENING + datetime.timedelta(hours=24))


def test_a_reason_is_required_to_remove_urgent(client, worker):
    concern = ConcernFactory(about="child", immediate_danger=True)
    login_verified(client, worker)
    response = remove_urgent(client, concern, "   ")
    assert response.status_code == 200
    page = soup(response)
    error = page.select_one(".govuk-error-summary a")
    assert error.get_text(strip=True) == "Enter why the concern is no longer urgent."
    assert page.find(id=error["href"].lstrip("#")) is not None
    concern.refresh_from_db()
    assert concern.urgent
    assert not concern.urgency_removals.exists()


def test_a_closed_concern_must_be_reopened_before_its_urgency_is_removed(client, worker):
    concern = ConcernFactory(about="child", immediate_danger=True)
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.CLOSED)
    login_verified(client, worker)
    assert soup(detail(client, concern)).find("a", string="Remove urgent") is None
    page = soup(remove_urgent(client, concern))
    assert "A closed concern's urgency cannot be removed. Reopen it first." in page.get_text()
    concern.refresh_from_db()
    assert concern.urgent


def test_a_concern_that_is_not_urgent_cannot_have_its_urgency_removed(worker):
    concern = ConcernFactory(about="child")
    with pytest.raises(ValidationError, match=r"This concern is not urgent\."):
        services.concern_remove_urgent(concern=concern, reason="Fictional reason", by=worker)


def test_only_a_member_of_a_receiving_team_can_remove_urgent(client):
    concern = ConcernFactory(about="child", immediate_danger=True)
    outsider = TeamMemberFactory(teams=["adult-social-care"], viewer=True)
    login_verified(client, outsider)
    assert remove_urgent(client, concern).status_code == 404
    concern.refresh_from_db()
    assert concern.urgent
