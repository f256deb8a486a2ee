"""Each role's home at /staff/: the right sections, with counts that match the data, and links."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from safeguarding.concerns.models import Concern, Team
from safeguarding.concerns.selectors import queue_counts
from safeguarding.linking.models import Alert
from safeguarding.partnership.models import Board
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.tracker.models import Action, SignOff
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernRouteFactory, ConcernRowFactory, TeamFactory, TeamMemberFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.reviews.factories import RecommendationFactory, ReviewFactory
from tests.staff import login_unverified, login_verified
from tests.tracker.factories import ActionFactory, EvidenceFactory, SignOffFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday morning: "due today" runs to local midnight, 14 hours away.
NOW = datetime.datetime(2026, 6, 3, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def _concern(team: Team, **fields) -> Concern:
    fields.setdefault("decision_due_at", NOW + datetime.timedelta(days=3))
    fields.setdefault("received_at", NOW - datetime.timedelta(hours=2))
    concern = ConcernRowFactory(**fields)
    ConcernRouteFactory(concern=concern, team=team)
    return concern


@pytest.fixture
def queue():
    """A team's queue with every kind of concern the home counts, and one in another team."""
    team = TeamFactory(name="Testborough Front Door", slug="front-door")
    worker = TeamMemberFactory(triage_worker=True, teams=[team], first_name="Tess", last_name="Triage")
    colleague = TeamMemberFactory(triage_worker=True, teams=[team])
    hour = datetime.timedelta(hours=1)
    _concern(team, urgent=True)  # urgent, unassigned
    _concern(team, urgent=True, assigned_to=worker)  # urgent, mine
    _concern(team, decision_due_at=NOW + 3 * hour)  # due today, unassigned
    _concern(team, decision_due_at=NOW + 5 * hour, assigned_to=colleague)  # due today
    _concern(team, decision_due_at=NOW - hour, assigned_to=worker, status=Concern.Status.IN_TRIAGE)  # overdue
    _concern(team, decision_due_at=NOW - 20 * hour)  # overdue, unassigned
    # Decided: in the queue, but its clock has been met, so neither due nor overdue nor waiting.
    _concern(team, decision_due_at=NOW - 30 * hour, status=Concern.Status.DECIDED, assigned_to=worker)
    # Closed: not in the queue at all.
    _concern(team, urgent=True, decision_due_at=NOW - hour, status=Concern.Status.CLOSED)
    # Tomorrow is not today.
    _concern(team, decision_due_at=NOW + 20 * hour, assigned_to=colleague)
    # Another team's concern counts for nobody here.
    _concern(TeamFactory(), urgent=True, decision_due_at=NOW - hour)
    return team, worker


def test_queue_counts_count_the_open_queue_by_what_needs_doing(queue):
    team, worker = queue
    assert queue_counts(team=team, user=worker) == {
        "urgent": 2,
        "unassigned": 3,
        "due_today": 2,
        "overdue": 2,
        "waiting": 7,
        "mine": 3,
    }
    assert "mine" not in queue_counts(team=team)


def test_queue_counts_stop_at_the_cap(settings, queue, monkeypatch):
    team, worker = queue
    monkeypatch.setattr("safeguarding.concerns.selectors.QUEUE_COUNT_CAP", 2)
    assert max(queue_counts(team=team, user=worker).values()) == 2


def test_a_triage_worker_lands_on_their_queue_with_counts_linking_to_the_filtered_queue(client, queue):
    _team, worker = queue
    page = html(login_verified(client, worker).get(reverse("workspace:home")))
    assert _text(page.select_one("h1")) == "Your work"
    section = page.select_one("section#team-front-door")
    assert _text(section.select_one("h2")) == "Testborough Front Door: concerns"
    assert "7 concerns are waiting for a decision" in _text(section)
    counts = {li["data-count"]: li for li in section.select("[data-counts=front-door] li")}
    base = "/staff/concerns/teams/front-door/"
    expected = {
        "urgent": ("2", f"{base}?show=urgent"),
        "unassigned": ("3", f"{base}?assigned=unassigned"),
        "due_today": ("2", f"{base}?show=due_today"),
        "overdue": ("2", f"{base}?show=overdue"),
    }
    for name, (number, href) in expected.items():
        link = counts[name].select_one("a")
        assert link["href"] == href
        assert _text(link.select_one("span")) == number
        assert _text(link).endswith("in Testborough Front Door")
    mine = section.find("a", href=f"{base}?assigned=mine")
    assert "Assigned to you: 3 concerns" in _text(mine)
    # Nothing of the tracker for a triage worker.
    assert page.select_one("section#partnership-picture") is None
    assert page.select("section[id^=sign-offs], section[id^=actions]") == []


def test_a_capped_count_says_or_more(client, queue, monkeypatch):
    _team, worker = queue
    monkeypatch.setattr("safeguarding.concerns.selectors.QUEUE_COUNT_CAP", 2)
    page = html(login_verified(client, worker).get(reverse("workspace:home")))
    unassigned = page.select_one("[data-counts=front-door] li[data-count=unassigned] span")
    assert _text(unassigned) == "2 or more"


@pytest.fixture
def tracker_world():
    children = BoardFactory(
        short_name="TSCP", name="Testborough Children's Partnership", kind=Board.Kind.CHILDREN
    )
    adults = BoardFactory(short_name="TSAB", name="Testborough Adults Board", kind=Board.Kind.ADULTS)
    police = AgencyFactory(name="Testborough Police")
    health = AgencyFactory(name="Testborough Health")
    review = ReviewFactory(
        title="A fictional review", short_title="Fictional review", boards=[children, adults], is_demo=False
    )
    today = NOW.date()
    # Addressed to both boards (the review's), all work done and accepted: ready for a decision.
    ready = RecommendationFactory(review=review, reference="1", title="Ready one", boards=[])
    done = ActionFactory(
        recommendation=ready, owner_agency=police, status=Action.Status.COMPLETE, due_date=today
    )
    EvidenceFactory(action=done, accepted=True)
    # Only the children's board, work under way.
    under_way = RecommendationFactory(review=review, reference="2", title="Under way", boards=[children])
    ActionFactory(
        recommendation=under_way,
        owner_agency=police,
        description="Train the police front desk",
        status=Action.Status.IN_PROGRESS,
        due_date=today - datetime.timedelta(days=4),
    )
    ActionFactory(
        recommendation=under_way,
        owner_agency=police,
        description="Write the police guidance",
        due_date=today + datetime.timedelta(days=40),
    )
    ActionFactory(recommendation=under_way, owner_agency=police, description="Undated police action")
    ActionFactory(recommendation=under_way, owner_agency=health, due_date=today + datetime.timedelta(days=2))
    # Signed off by the children's board already; the adults' board has not decided.
    signed = RecommendationFactory(
        review=review, reference="3", title="Signed one", boards=[children, adults]
    )
    SignOffFactory(recommendation=signed, board=children)
    # Signed off, then reopened by a material change: waiting again.
    reopened = RecommendationFactory(review=review, reference="4", title="Reopened", boards=[children])
    SignOffFactory(recommendation=reopened, board=children, reopened_at=NOW)
    # Not yet: a decision, but not "progressed in full".
    SignOffFactory(
        recommendation=RecommendationFactory(
            review=review, reference="5", title="Not yet", boards=[children]
        ),
        board=children,
        decision=SignOff.Decision.NOT_YET,
    )
    return {"children": children, "adults": adults, "police": police, "health": health}


def test_a_board_member_sees_their_boards_sign_offs_waiting_ready_ones_first(client, tracker_world):
    member = UserFactory(board_member=tracker_world["children"])
    page = html(login_verified(client, member).get(reverse("workspace:home")))
    section = page.select_one(f"section#sign-offs-{tracker_world['children'].pk}")
    assert _text(section.select_one("h2")) == "Waiting for sign-off by Testborough Children's Partnership"
    assert "4 recommendations are not yet signed off" in _text(section.select_one("[data-count=sign-offs]"))
    rows = [[_text(cell) for cell in row.select("th, td")] for row in section.select("tbody tr")]
    assert rows[0] == [
        "1: Ready one",
        "Fictional review",
        "Ready for a decision Record the decision on recommendation 1",
    ]
    record = section.select_one("tbody tr td a")
    assert record["href"] == reverse(
        "tracker:sign_off_create", kwargs={"pk": Recommendation.objects.get(reference="1").pk}
    )
    assert [row[0] for row in rows[1:]] == ["2: Under way", "4: Reopened", "5: Not yet"]
    assert {row[2] for row in rows[1:]} == {"Work under way"}
    assert page.select_one("section#partnership-picture") is None
    assert page.select_one("#demo-banner-title") is None  # not a training review


def test_a_home_listing_training_material_says_so(client, tracker_world):
    Review.objects.update(is_demo=True)
    member = UserFactory(board_member=tracker_world["children"])
    page = html(login_verified(client, member).get(reverse("workspace:home")))
    assert _text(page.select_one("#demo-banner-title")) == "Training material"


def test_the_other_board_sees_its_own_waiting_list(client, tracker_world):
    member = UserFactory(board_member=tracker_world["adults"])
    page = html(login_verified(client, member).get(reverse("workspace:home")))
    section = page.select_one(f"section#sign-offs-{tracker_world['adults'].pk}")
    titles = [_text(row.select_one("th")) for row in section.select("tbody tr")]
    assert titles == ["1: Ready one", "3: Signed one"]


def test_an_agency_lead_sees_their_actions_due_soonest_first_with_overdue_marked(client, tracker_world):
    lead = UserFactory(agency_lead=tracker_world["police"])
    page = html(login_verified(client, lead).get(reverse("workspace:home")))
    section = page.select_one(f"section#actions-{tracker_world['police'].pk}")
    assert _text(section.select_one("h2")) == "Actions due from Testborough Police"
    assert "3 actions not yet done, 1 of them overdue" in _text(section.select_one("[data-count=actions]"))
    rows = [[_text(cell) for cell in row.select("th, td")] for row in section.select("tbody tr")]
    assert [row[0] for row in rows] == [
        "Train the police front desk",
        "Write the police guidance",
        "Undated police action",
    ]
    assert rows[0][2] == "30 May 2026 Overdue"
    assert rows[1][2] == "13 Jul 2026"
    assert rows[2][2] == "No due date"
    assert section.select_one("tbody a")["href"].startswith("/staff/actions/")


def test_a_partnership_manager_sees_the_partnership_picture(client, tracker_world, queue):
    team, _ = queue
    manager = UserFactory(partnership_manager=tracker_world["children"])
    page = html(login_verified(client, manager).get(reverse("workspace:home")))
    picture = page.select_one("section#partnership-picture")
    children = picture.select_one("#boards-rag tr[data-board=TSCP]")
    rag = {cell["data-rag"]: _text(cell) for cell in children.select("td")}
    # Ready one's action is complete; "Under way" has an overdue (red), one due in 2 days, not started
    # (red), one due in 40 days (green) and one with no date (amber).
    assert rag == {"red": "2", "amber": "1", "green": "1", "complete": "1", "overdue": "1"}
    assert children.select_one("a")["href"] == f"/staff/dashboards/boards/{tracker_world['children'].pk}/"
    front_door = picture.select_one(f"#teams-waiting tr[data-team={team.slug}]")
    counts = {cell["data-count"]: _text(cell) for cell in front_door.select("td")}
    assert counts == {"waiting": "7", "overdue": "2", "urgent": "2"}
    # Counts only: the manager is in no team, so no queue is linked.
    assert picture.select("a[href^='/staff/concerns/']") == []


def test_a_person_with_several_roles_sees_each_section(client, tracker_world, queue):
    team, _ = queue
    person = TeamMemberFactory(
        teams=[team],
        roles=[
            ("board_member", tracker_world["children"]),
            ("agency_lead", tracker_world["police"]),
            "triage_worker",
        ],
    )
    page = html(login_verified(client, person).get(reverse("workspace:home")))
    headings = [_text(h2) for h2 in page.select("main h2")]
    assert headings == [
        "Testborough Front Door: concerns",
        "Waiting for sign-off by Testborough Children's Partnership",
        "Actions due from Testborough Police",
    ]


def test_an_analyst_sees_open_alerts_and_networks(client):
    from tests.linking.factories import AnalystFactory, linked_network

    linked_network()
    analyst = AnalystFactory()
    page = html(login_verified(client, analyst).get(reverse("workspace:home")))
    section = page.select_one("section#seeing-the-pattern")
    alerts = Alert.objects.filter(status=Alert.Status.NEW).count()
    assert alerts >= 1
    link = section.select_one("[data-count=alerts] a")
    assert link["href"] == "/staff/alerts/"
    assert _text(link).startswith(f"{alerts} open alert")


def test_a_role_with_no_work_yet_is_told_so(client):
    teamless = UserFactory(triage_worker=True)
    page = html(login_verified(client, teamless).get(reverse("workspace:home")))
    assert "There is nothing for you to do here yet" in _text(page.select_one("main"))
    assert page.select("main h2") == []
    lead = UserFactory(agency_lead=AgencyFactory(name="Testborough Schools"))
    page = html(login_verified(client, lead).get(reverse("workspace:home")))
    assert "Testborough Schools has no actions waiting to be done" in _text(page.select_one("main"))


def test_the_home_needs_a_verified_member_of_staff(client):
    anonymous = client.get(reverse("workspace:home"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/staff/account/login/")
    user = UserFactory(viewer=True)
    unverified = login_unverified(client, user).get(reverse("workspace:home"))
    assert unverified["Location"].startswith("/staff/account/two-step/")
    assert reverse("workspace:home") == "/staff/"
    assert reverse("tracker:dashboard") == "/staff/dashboards/"
