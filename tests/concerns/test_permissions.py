"""Every triage URL, for every role, against a concern about a child and one about an adult.

Only members of the team a concern was routed to may see it, act on it, or see that team's queue
(including every triage page: assignment, decisions, notes, files, sharing, legal hold): an administrator,
even a superuser, who is not in the team gets 404, as does everyone else with a role. Expected
statuses come from the rules written out below, not from the code under test.
"""

import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from safeguarding.concerns import services
from safeguarding.concerns import urls as concern_urls
from safeguarding.concerns.models import DecisionOption, Team
from safeguarding.concerns.permissions import concerns_visible_to, teams_of
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.staff import login_unverified, login_verified
from tests.tracker.test_staff_area_permissions import CONCERN_URLS

pytestmark = pytest.mark.django_db

ROLES = [
    "children_member",
    "adult_member",
    "admin_in_adult_team",
    "admin",
    "superuser",
    "viewer",
    "no_role",
    "anonymous",
    "unverified",
]
TEAMS = {"child": "children-front-door", "adult": "adult-social-care"}
# Who is in which team; nobody else is in any team.
MEMBERS = {
    "child": {"children_member"},
    "adult": {"adult_member", "admin_in_adult_team"},
}
IN_ONE_TEAM = MEMBERS["child"] | MEMBERS["adult"]

# The pages about one concern: GET shows them (or downloads), POST changes something.
CONCERN_PAGES = [
    "concern_detail",
    "concern_assign",
    "concern_unassign",
    "concern_decide",
    "concern_close",
    "concern_reopen",
    "concern_note_add",
    "concern_attachment_add",
    "concern_attachment_download",
    "concern_information_share_add",
    "concern_team_share",
    "concern_legal_hold",
    "concern_mark_urgent",
    "concern_remove_urgent",
    "concern_police_call",
]
# Which methods each page answers; the rest get 405 (after sign-in, before any look at the concern).
READ_ONLY = {"team_list", "team_queue", "concern_detail", "concern_attachment_download"}
POST_ONLY = {
    "concern_unassign",
    "concern_close",
    "concern_reopen",
    "concern_mark_urgent",
    "team_queue_search",
}
# Team pages: the queue, and the search in it by reference.
TEAM_PAGES = {"team_queue", "team_queue_search"}
# An empty POST to a form page shows the form again with its errors (200); to a button, redirects
# back to the concern with a message (302).

# url name, which target (child or adult) its object belongs to; None for the list of teams.
MATRIX = [
    ("team_list", None),
    ("team_queue", "child"),
    ("team_queue", "adult"),
    ("team_queue_search", "child"),
    ("team_queue_search", "adult"),
    *[(name, target) for name in CONCERN_PAGES for target in ("child", "adult")],
]


def expected(role: str, name: str, target: str | None, method: str = "get") -> int:
    if role in ("anonymous", "unverified"):
        return 302
    if role == "no_role":
        return 403
    if (method == "post" and name in READ_ONLY) or (method == "get" and name in POST_ONLY):
        return 405
    if target is None:
        # Someone in exactly one team is taken straight to its queue.
        return 302 if role in IN_ONE_TEAM else 200
    if role not in MEMBERS[target]:
        return 404
    if name == "team_queue_search":
        return 400  # an empty search: the queue page, with an error to enter a reference
    return 302 if name in POST_ONLY else 200


@pytest.fixture
def people():
    return {
        "children_member": TeamMemberFactory(teams=[TEAMS["child"]], viewer=True),
        "adult_member": TeamMemberFactory(teams=[TEAMS["adult"]], viewer=True),
        "admin_in_adult_team": TeamMemberFactory(teams=[TEAMS["adult"]], administrator=True),
        "admin": UserFactory(administrator=True),
        "superuser": UserFactory(administrator=True, is_superuser=True, is_staff=True),
        "viewer": UserFactory(viewer=True),
        "no_role": UserFactory(),
        # In both teams: only two-step verification stands in the way.
        "unverified": TeamMemberFactory(teams=TEAMS.values(), viewer=True),
    }


@pytest.fixture
def concerns():
    made = {about: ConcernFactory(about=about) for about in ("child", "adult")}
    for concern in made.values():
        uploader = TeamMemberFactory(teams=[concern.routes.get().team], viewer=True)
        services.attachment_add(
            concern=concern, file=io.BytesIO(b"A fictional note."), name="note.txt", by=uploader
        )
    return made


def url_for(name: str, target: str | None, concerns) -> str:
    if name in TEAM_PAGES:
        return reverse(f"concerns:{name}", kwargs={"slug": TEAMS[target]})
    if name == "concern_attachment_download":
        concern = concerns[target]
        kwargs = {"pk": concern.pk, "attachment_pk": concern.attachments.get().pk}
        return reverse(f"concerns:{name}", kwargs=kwargs)
    if name in CONCERN_PAGES:
        return reverse(f"concerns:{name}", kwargs={"pk": concerns[target].pk})
    return reverse(f"concerns:{name}")


def client_for(role: str, people) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "unverified":
        return login_unverified(client, people["unverified"])
    return login_verified(client, people[role])


def test_every_concern_url_is_in_the_matrix():
    names = {pattern.name for pattern in concern_urls.urlpatterns}
    assert names == {name for name, _ in MATRIX}
    assert names == CONCERN_URLS


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, people, concerns):
    client = client_for(role, people)
    for name, target in MATRIX:
        url = url_for(name, target, concerns)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == expected(role, name, target, method), (role, method, url)
            assert response["Cache-Control"] == "no-store", (role, method, url)
            if response.status_code != 302:
                continue
            location = response["Location"]
            if role == "anonymous":
                assert location.startswith(reverse(settings.LOGIN_URL) + "?next="), location
            elif role == "unverified":
                assert location.startswith(reverse("accounts:verify") + "?next="), location
            elif name in POST_ONLY:
                assert location == reverse("concerns:concern_detail", kwargs={"pk": concerns[target].pk})
            else:
                team = TEAMS["child"] if role in MEMBERS["child"] else TEAMS["adult"]
                assert location == reverse("concerns:team_queue", kwargs={"slug": team})


@pytest.mark.parametrize("role", ROLES)
def test_a_refused_view_shows_nothing_of_the_concern(role, people, concerns):
    client = client_for(role, people)
    for target, concern in concerns.items():
        for name in CONCERN_PAGES:
            response = client.get(url_for(name, target, concerns))
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code == 200:
                assert concern.reference.encode() in body or body == b"A fictional note.", name
            else:
                assert concern.reference.encode() not in body, name
                assert b"fictional" not in body, name


def test_no_change_is_made_by_anyone_outside_the_teams(people, concerns):
    """Every POST by a non-member is refused before the service runs: nothing changes, nothing is added."""
    child = concerns["child"]
    client = client_for("adult_member", people)
    decision = DecisionOption.objects.get(code="no_further_action")
    posts = {
        "concern_assign": {"assignee": people["adult_member"].pk},
        "concern_decide": {"option": decision.pk, "reasons": "Fictional reasons."},
        "concern_note_add": {"text": "A fictional note."},
        "concern_team_share": {"team": Team.objects.get(slug="exploitation").pk, "reason": "Fictional."},
        "concern_legal_hold": {"reason": "Fictional."},
        "concern_remove_urgent": {"reason": "Fictional."},
        "concern_close": {},
        "concern_reopen": {},
        "concern_unassign": {},
    }
    for name, data in posts.items():
        assert client.post(url_for(name, "child", concerns), data).status_code == 404, name
    child.refresh_from_db()
    assert (child.status, child.assigned_to_id, child.legal_hold) == ("received", None, False)
    assert not child.decisions.exists()
    assert not child.notes.exists()
    assert child.routes.count() == 1


def test_concerns_visible_to_lists_each_concern_once(people):
    user = people["children_member"]
    Team.objects.get(slug="adult-social-care").members.add(user)
    both = ConcernFactory(about="not_sure")
    ConcernFactory(about="adult")
    assert [c.pk for c in concerns_visible_to(user).filter(pk=both.pk)] == [both.pk]
    assert concerns_visible_to(user).count() == 2
    assert concerns_visible_to(people["admin"]).count() == 0
    assert [t.slug for t in teams_of(user)] == ["adult-social-care", "children-front-door"]
