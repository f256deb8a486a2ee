"""Triage pages: a team's queue (only its concerns, most pressing first, a page at a time, time left)
and one concern (everything decrypted, every view in the audit trail, nothing cached)."""

import datetime
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns import views
from safeguarding.concerns.models import Concern, RoutingRule, Sign
from safeguarding.core import crypto
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory
from tests.staff import login_verified

from .conftest import (
    CANARY_ADDRESS,
    CANARY_HANDLE,
    CANARY_NAME,
    CANARY_NARRATIVE,
    CANARY_NICKNAME,
    CANARY_PHONE,
    CANARY_REGISTRATION,
    canary_answers,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 1 June 2026: a working day, with no bank holiday that week.
MONDAY = datetime.date(2026, 6, 1)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


TUESDAY = MONDAY + datetime.timedelta(days=1)


def member_of(*slugs: str):
    return TeamMemberFactory(teams=slugs, viewer=True)


@pytest.fixture
def children_worker(client):
    user = member_of("children-front-door")
    login_verified(client, user)
    return user


@pytest.fixture
def adult_worker(client):
    user = member_of("adult-social-care")
    login_verified(client, user)
    return user


def queue_rows(response) -> list[dict[str, str]]:
    table = html(response).find("table", id="queue")
    if table is None:
        return []
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    rows = []
    for tr in table.find("tbody").find_all("tr"):
        cells = [
            (cell.find("a") or cell).get_text(" ", strip=True)
            if cell.name == "th"
            else cell.get_text(" ", strip=True)
            for cell in tr.find_all(["th", "td"])
        ]
        received = tr.find("th").find("span")
        cells.append(received.get_text(strip=True).removeprefix("Received ") if received else "")
        headers = [*headers[: len(cells) - 1], "Received"]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def queue_url(slug: str) -> str:
    return reverse("concerns:team_queue", kwargs={"slug": slug})


# --- The list of teams -------------------------------------------------------------------------------


def test_a_member_of_one_team_goes_straight_to_its_queue(client, children_worker):
    response = client.get(reverse("concerns:team_list"))
    assert response.status_code == 302
    assert response["Location"] == queue_url("children-front-door")


def test_a_member_of_two_teams_chooses_between_them(client):
    login_verified(client, member_of("children-front-door", "exploitation"))
    response = client.get(reverse("concerns:team_list"))
    assert response.status_code == 200
    links = {a.get_text(strip=True): a["href"] for a in html(response).select("main ul.govuk-list a")}
    assert links == {
        "Children's front door": queue_url("children-front-door"),
        "Exploitation team": queue_url("exploitation"),
    }


def test_someone_in_no_team_is_told_so(client):
    login_verified(client, UserFactory(administrator=True))
    response = client.get(reverse("concerns:team_list"))
    assert response.status_code == 200
    text = html(response).find("main").get_text(" ", strip=True)
    assert "not a member of any team" in text
    assert not html(response).select("main ul.govuk-list a")


# --- The queue -------------------------------------------------------------------------------------------


def test_the_queue_shows_only_the_teams_open_concerns_most_pressing_first(client, children_worker):
    later = ConcernFactory(received_at=at(MONDAY, 10), about="child")
    urgent = ConcernFactory(received_at=at(MONDAY, 11), about="child", immediate_danger=True)
    not_sure = ConcernFactory(received_at=at(MONDAY, 9, 30), about="not_sure")
    adult = ConcernFactory(received_at=at(MONDAY, 8), about="adult")
    closed = ConcernFactory(received_at=at(MONDAY, 8), about="child")
    Concern.objects.filter(pk=closed.pk).update(status=Concern.Status.CLOSED)

    with time_machine.travel(at(TUESDAY, 14), tick=False):
        response = client.get(queue_url("children-front-door"))

    assert response.status_code == 200
    rows = queue_rows(response)
    assert [row["Reference"] for row in rows] == [urgent.reference, not_sure.reference, later.reference]
    assert adult.reference not in response.content.decode()
    assert closed.reference not in response.content.decode()
    # A child's clock counts working hours, to 17:00 the next working day; "not sure" runs the
    # adult clock too (24 hours from 09:30 Monday), which is earlier and already passed. Immediate
    # danger gets the urgent clock: 4 hours from 11:00 Monday, round the clock (decision 0030).
    assert [row["Time left"] for row in rows] == [
        "Overdue by 23 hours",
        "Overdue by 4 hours",
        "3 working hours left",
    ]
    assert [row["Tags"] for row in rows] == [
        "Immediate danger Urgent Child Public",
        "Not sure if child or adult Public",
        "Child Public",
    ]
    assert [row["Status"] for row in rows] == ["Received"] * 3
    assert rows[2]["Received"] == "1 Jun 2026, 10:00"
    overdue = html(response).find("table", id="queue").find("strong", string="Overdue by 4 hours")
    assert "govuk-tag--red" in overdue["class"]
    link = html(response).find("a", string=urgent.reference)
    assert link["href"] == reverse("concerns:concern_detail", kwargs={"pk": urgent.pk})


def test_the_adult_team_sees_its_own_queue(client, adult_worker):
    ConcernFactory(received_at=at(MONDAY, 10), about="child")
    adult = ConcernFactory(received_at=at(MONDAY, 10), about="adult")
    with time_machine.travel(at(MONDAY, 12), tick=False):
        response = client.get(queue_url("adult-social-care"))
    rows = queue_rows(response)
    assert [row["Reference"] for row in rows] == [adult.reference]
    # An adult's clock is 24 ordinary hours, round the clock.
    assert rows[0]["Time left"] == "22 hours left"


def test_the_queue_decrypts_nothing(client, children_worker, monkeypatch):
    ConcernFactory(about="child", narrative=CANARY_NARRATIVE)

    def refuse(*args, **kwargs):
        raise AssertionError("the queue decrypted a field")

    monkeypatch.setattr(crypto, "decrypt_text", refuse)
    response = client.get(queue_url("children-front-door"))
    assert response.status_code == 200
    assert len(queue_rows(response)) == 1
    assert CANARY_NARRATIVE not in response.content.decode()
    # The guard itself works: reading a personal field now fails.
    with pytest.raises(AssertionError, match="decrypted"):
        Concern.objects.get().narrative  # noqa: B018


def test_an_empty_queue_says_so(client, children_worker):
    response = client.get(queue_url("children-front-door"))
    assert response.status_code == 200
    assert (
        html(response).find(id="queue-empty").get_text(strip=True)
        == "There are no open concerns for this team."
    )


def test_the_queue_pages_with_a_next_link(client, children_worker, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    made = [ConcernFactory(received_at=at(MONDAY, 9 + n), about="child") for n in range(3)]
    # Same deadline for all (17:00 Tuesday): the queue then goes by id, which is the order made.
    first = client.get(queue_url("children-front-door"))
    assert [row["Reference"] for row in queue_rows(first)] == [c.reference for c in made[:2]]
    next_link = html(first).find("a", rel="next")
    assert next_link is not None
    cursor = parse_qs(urlsplit(next_link["href"]).query)["after"][0]
    # The cursor is opaque and carries no reference, name or anything typed by a reporter.
    for concern in made:
        assert concern.reference not in cursor

    second = client.get(next_link["href"])
    assert second.status_code == 200
    assert [row["Reference"] for row in queue_rows(second)] == [made[2].reference]
    assert html(second).find("a", rel="next") is None
    back = html(second).find("a", string="Back to the start of the queue")
    assert back["href"] == queue_url("children-front-door")


@pytest.mark.parametrize("cursor", ["not-a-cursor", "W10", "%00%ff", "eyJ4Ijoy" * 3])
def test_a_bad_cursor_gives_a_clear_message_and_the_start_of_the_queue(client, children_worker, cursor):
    concern = ConcernFactory(about="child")
    response = client.get(queue_url("children-front-door") + f"?after={cursor}")
    assert response.status_code == 200
    message = html(response).find(id="cursor-invalid")
    assert message is not None
    assert "could not be found" in message.get_text()
    assert [row["Reference"] for row in queue_rows(response)] == [concern.reference]


def test_a_good_cursor_gives_no_message(client, children_worker, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 1)
    ConcernFactory(about="child")
    ConcernFactory(about="child")
    first = client.get(queue_url("children-front-door"))
    assert html(first).find(id="cursor-invalid") is None
    second = client.get(html(first).find("a", rel="next")["href"])
    assert html(second).find(id="cursor-invalid") is None


def test_another_teams_queue_is_not_found(client, children_worker):
    ConcernFactory(about="adult")
    assert client.get(queue_url("adult-social-care")).status_code == 404
    assert client.get(queue_url("no-such-team")).status_code == 404


# --- One concern -----------------------------------------------------------------------------------------


def canary_concern():
    return ConcernFactory(**canary_answers(), follow_up=["Canary follow-up: seen again"])


def section(page, section_id: str) -> dict[str, str]:
    dl = page.find(id=section_id)
    return {
        row.find("dt").get_text(" ", strip=True): row.find("dd").get_text(" ", strip=True)
        for row in dl.find_all("div", class_="govuk-summary-list__row")
    }


def test_a_concern_shows_everything_decrypted(client, adult_worker):
    concern = canary_concern()
    response = client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk}))
    assert response.status_code == 200
    page = html(response)
    assert page.find("h1").get_text(" ", strip=True) == concern.reference
    assert page.find(id="narrative").get_text(strip=True) == CANARY_NARRATIVE
    signs = [li.get_text(strip=True) for li in page.find(id="signs").find_all("li")]
    assert signs == [Sign.VEHICLES.label, Sign.TAKEN_TO_ADDRESSES.label]
    assert "canary bus station" in page.find(id="where-and-when").get_text()
    people = [
        {
            row.find("dt").get_text(strip=True): row.find("dd").get_text(strip=True)
            for row in dl.find_all("div")
        }
        for dl in page.find_all("dl", attrs={"data-section": "person"})
    ]
    assert people[0]["Name"] == CANARY_NAME
    assert people[0]["Nicknames"] == CANARY_NICKNAME
    assert people[0]["Age"] == "19"
    assert people[1]["Name"] == "Orrin Canaryman"
    assert people[1]["Date of birth"] == "1990-02-03"
    assert [h3.get_text(strip=True) for h3 in page.find_all("h3", class_="govuk-heading-s")] == [
        "Person at risk",
        "Person who may be causing harm",
    ]
    identifiers = section(page, "identifiers")
    assert identifiers["Vehicles"] == f"{CANARY_REGISTRATION}: silver hatchback"
    assert identifiers["Phone numbers"] == CANARY_PHONE
    assert CANARY_ADDRESS in identifiers["Places"]
    assert "Larkspur Lodge" in identifiers["Places"]
    assert identifiers["Online accounts"] == f"{CANARY_HANDLE} on Snapchat"
    reporter = section(page, "reporter")
    assert reporter["Name"] == "Wilhelmina Canaryreporter"
    assert reporter["Contact details"] == "0191 498 0417"
    wishes = section(page, "adult-wishes")
    assert wishes["Do they know about this report?"] == "No"
    assert wishes["What they want to happen"] == "Canary wants: to be safe at home"
    routes = section(page, "routes")
    assert "Sent to Adult social care" in routes
    assert "it is about an adult" in routes["Sent to Adult social care"]
    assert "Sent to Exploitation team" in routes
    assert "Canary follow-up: seen again" in page.find(id="additional-information").get_text()
    assert page.find(id="professional") is None
    assert response["Cache-Control"] == "no-store"


def test_an_anonymous_report_says_so(client, children_worker):
    concern = ConcernFactory(about="child", reporter={"anonymous": True})
    page = html(client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk})))
    assert section(page, "reporter")["Reporter"] == "Anonymous"
    assert page.find(id="adult-wishes") is None


def test_a_professional_referral_shows_the_referrers_details(client, children_worker):
    agency = AgencyFactory(name="Testborough Primary School")
    professional = {
        "role": "Designated safeguarding lead",
        "consent": "not_given",
        "lawful_basis": "safeguarding",
        "lawful_basis_detail": "Telling the family could put the child at risk",
        "existing_involvement": "Known to early help",
    }
    concern = ConcernFactory(
        source="professional",
        agency=agency,
        professional=professional,
        reporter={"name": "Nadia Testlead", "contact": "0191 498 0102"},
    )
    page = html(client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk})))
    details = section(page, "professional")
    assert details["Agency"] == "Testborough Primary School"
    assert details["Role"] == "Designated safeguarding lead"
    assert details["Existing involvement"] == "Known to early help"
    assert details["Consent"] == Concern.Consent.NOT_GIVEN.label
    assert Concern.LawfulBasis.SAFEGUARDING.label in details["Lawful basis for sharing"]
    assert "could put the child at risk" in details["Lawful basis for sharing"]
    assert section(page, "reporter")["Name"] == "Nadia Testlead"


def viewed(concern: Concern):
    return AuditEvent.objects.filter(
        kind=AuditEvent.Kind.VIEWED, target_type="concerns.concern", target_id=str(concern.pk)
    )


def test_every_view_writes_one_audit_row_with_no_content(client, adult_worker):
    concern = canary_concern()
    url = reverse("concerns:concern_detail", kwargs={"pk": concern.pk})
    client.get(url)
    events = list(viewed(concern))
    assert len(events) == 1
    event = events[0]
    assert event.actor_id == adult_worker.pk
    assert event.summary == f"Concern {concern.reference} viewed"
    row_text = " ".join(
        str(getattr(event, field.attname)) for field in AuditEvent._meta.concrete_fields
    ).lower()
    for canary in (CANARY_NARRATIVE, CANARY_NAME, CANARY_REGISTRATION, CANARY_PHONE, "canary"):
        assert canary.lower() not in row_text

    client.get(url)
    assert viewed(concern).count() == 2


def test_the_queue_and_refused_views_write_no_view_rows(client, children_worker):
    concern = ConcernFactory(about="adult")
    child = ConcernFactory(about="child")
    client.get(queue_url("children-front-door"))
    assert client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk})).status_code == 404
    assert not viewed(concern).exists()
    assert not viewed(child).exists()


def test_a_concern_routed_elsewhere_is_not_found(client, children_worker):
    adult = ConcernFactory(about="adult")
    assert client.get(reverse("concerns:concern_detail", kwargs={"pk": adult.pk})).status_code == 404
    assert client.get(reverse("concerns:concern_detail", kwargs={"pk": adult.pk + 1000})).status_code == 404


def test_a_concern_routed_to_two_teams_is_seen_by_both(client):
    concern = ConcernFactory(about="not_sure")
    for slug in ("children-front-door", "adult-social-care"):
        client.logout()
        login_verified(client, member_of(slug))
        assert client.get(reverse("concerns:concern_detail", kwargs={"pk": concern.pk})).status_code == 200


# --- The admin ---------------------------------------------------------------------------------------


def test_concerns_are_not_in_the_admin(client):
    from safeguarding.concerns import models

    registered = set(admin.site._registry)
    assert models.Team in registered
    assert models.RoutingRule in registered
    for model in (
        models.Concern,
        models.ConcernPerson,
        models.ConcernVehicle,
        models.ConcernPhone,
        models.ConcernPlace,
        models.ConcernOnlineAccount,
        models.AdditionalInformation,
        models.ConcernRoute,
        models.ConcernDecision,
        models.ConcernNote,
        models.ConcernAttachment,
        models.InformationShare,
    ):
        assert model not in registered, model

    login_verified(client, UserFactory(is_superuser=True))
    assert client.get("/staff/admin/concerns/concern/").status_code == 404
    assert client.get(reverse("admin:concerns_team_changelist")).status_code == 200
    response = client.get(reverse("admin:concerns_routingrule_changelist"))
    assert response.status_code == 200
    assert "Children to the children" in response.content.decode()


def test_an_administrator_manages_decision_options_but_cannot_delete_them(client):
    from safeguarding.concerns.models import DecisionOption

    login_verified(client, UserFactory(is_superuser=True))
    response = client.get(reverse("admin:concerns_decisionoption_changelist"))
    assert response.status_code == 200
    assert "Child protection enquiry (section 47)" in response.content.decode()
    option = DecisionOption.objects.get(code="early_help")
    assert client.get(reverse("admin:concerns_decisionoption_change", args=[option.pk])).status_code == 200
    assert client.get(reverse("admin:concerns_decisionoption_delete", args=[option.pk])).status_code == 403


def test_an_administrator_edits_a_rules_about_with_tick_boxes(client):
    login_verified(client, UserFactory(is_superuser=True))
    rule = RoutingRule.objects.get(name="Adults to adult social care")
    url = reverse("admin:concerns_routingrule_change", args=[rule.pk])
    page = html(client.get(url))
    ticked = {box["value"] for box in page.select("input[name=about_in][checked]")}
    assert ticked == {"adult"}
    response = client.post(
        url,
        {
            "order": "20",
            "name": rule.name,
            "active": "on",
            "about_in": ["adult", "not_sure"],
            "immediate_danger": "unknown",
            "has_exploitation_signs": "unknown",
            "team": str(rule.team_id),
            "csrfmiddlewaretoken": page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.about_in == ["adult", "not_sure"]


def test_routing_rules_cannot_be_deleted_in_the_admin(client):
    login_verified(client, UserFactory(is_superuser=True))
    rule = RoutingRule.objects.first()
    assert client.get(reverse("admin:concerns_routingrule_delete", args=[rule.pk])).status_code == 403
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_the_queue_shows_who_has_each_concern(client, adult_worker):
    from safeguarding.concerns.services import concern_assign

    mine = ConcernFactory(received_at=at(MONDAY, 10), about="adult")
    ConcernFactory(received_at=at(MONDAY, 11), about="adult")
    concern_assign(concern=mine, assignee=adult_worker, by=adult_worker)
    with time_machine.travel(at(MONDAY, 12), tick=False):
        response = client.get(queue_url("adult-social-care"))
    assigned = {row["Reference"]: row["Assigned to"] for row in queue_rows(response)}
    assert assigned[mine.reference] == f"{adult_worker.get_full_name()} (you)"
    assert list(assigned.values()).count("Not assigned") == 1
