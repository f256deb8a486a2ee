"""Every tracker work URL, for every role, against agency X's action and agency Y's action.

Two recommendations: X's action is under a joint recommendation addressed to boards A and B; Y's
action is under one addressed to board B only. So agency X's lead cannot see Y's recommendation at
all (404), the manager of board A can see Y's but not change it (403), and so on. Expected statuses
come from the rules written out below, not from the code under test.

A URL added to tracker/work_urls.py without a row here fails `test_every_work_url_is_in_the_matrix`.
"""

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.tracker import work_urls
from safeguarding.tracker.models import Action, Evidence
from tests.reviews.factories import RecommendationFactory
from tests.staff import login_unverified, login_verified
from tests.tracker.factories import EvidenceFactory, FileEvidenceFactory

ROLES = [
    "admin",
    "viewer",
    "manager_a",
    "member_a",
    "lead_x",
    "lead_y",
    "triage_worker",
    "no_role",
    "anonymous",
    "unverified",
]
TARGETS = ["x", "y"]

# Who sees each target's recommendation, edits its action, manages it, and signs it off.
SEES = {
    "x": {"admin", "viewer", "manager_a", "member_a", "lead_x"},
    "y": {"admin", "viewer", "manager_a", "member_a", "lead_y"},
}
MANAGES = {"x": {"admin", "manager_a"}, "y": {"admin"}}
EDITS = {"x": MANAGES["x"] | {"lead_x"}, "y": MANAGES["y"] | {"lead_y"}}
SIGNS = {"x": {"manager_a", "member_a"}, "y": set()}

# url name, method, which object its id is, who may (None: whoever sees it), POST data.
URLS = [
    ("recommendation_list", "get", None, None),
    ("recommendation_detail", "get", "recommendation", None),
    ("action_create", "get", "recommendation", MANAGES),
    ("sign_off_create", "get", "recommendation", SIGNS),
    ("action_detail", "get", "action", None),
    ("evidence_detail", "get", "evidence", None),
    ("evidence_download", "get", "evidence", None),
    ("action_change", "get", "action", EDITS),
    ("progress_note_create", "get", "action", EDITS),
    ("evidence_create", "get", "action", EDITS),
    ("rag_override_set", "get", "action", MANAGES),
    ("rag_override_clear", "get", "action", MANAGES),
    ("action_change", "post", "action", EDITS),
    ("progress_note_create", "post", "action", EDITS),
    ("evidence_create", "post", "action", EDITS),
    ("rag_override_set", "post", "action", MANAGES),
    ("rag_override_clear", "post", "action", MANAGES),
    ("evidence_detail", "post", "evidence", MANAGES),
    ("action_create", "post", "recommendation", MANAGES),
    ("sign_off_create", "post", "recommendation", SIGNS),
]


def expected_status(role: str, target: str, method: str, object_kind: str | None, may: dict | None) -> int:
    if role in ("anonymous", "unverified"):
        return 302
    if role == "no_role":
        return 403
    if role == "triage_worker":
        return 404  # no part in the tracker: not even its lists (issue 10, finding 9)
    if object_kind is not None and role not in SEES[target]:
        return 404
    if may is not None and role not in may[target]:
        return 403
    return 303 if method == "post" else 200


@pytest.fixture
def matrix(world):
    """Move Y's action to a recommendation of its own, addressed to board B only; give both evidence."""
    recommendation_y = RecommendationFactory(
        review=world.review,
        title="Adults' services share vehicle records",
        boards=[world.board_b],
    )
    Action.objects.filter(pk=world.action_y.pk).update(recommendation=recommendation_y)
    world.action_y.refresh_from_db()
    for action in (world.action_x, world.action_y):
        action.rag_override, action.rag_override_reason = "green", "Agreed at the board"
        action.save()
    evidence = {
        "x": FileEvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x")),
        "y": FileEvidenceFactory(action=world.action_y, supplied_by=world.user("lead_y")),
    }
    unverified = world.users["lead_x"]
    return (
        world,
        {
            "x": {
                "recommendation": world.recommendation,
                "action": world.action_x,
                "evidence": evidence["x"],
            },
            "y": {"recommendation": recommendation_y, "action": world.action_y, "evidence": evidence["y"]},
        },
        unverified,
    )


def _post_data(name: str, target: str, world) -> dict:
    date = {"_0": "10", "_1": "1", "_2": "2026"}
    return {
        "action_change": {
            "description": "Updated",
            "status": "in_progress",
            "owner_agency": str((world.agency_x if target == "x" else world.agency_y).pk),
        },
        "progress_note_create": {"text": "Booked the sessions"},
        "evidence_create": {
            "kind": "note",
            "title": "Register",
            "note": "All trained",
            **{f"effective_date{k}": v for k, v in date.items()},
        },
        "rag_override_set": {"rag": "amber", "reason": "Staff shortages"},
        "rag_override_clear": {"reason": "Resolved"},
        "evidence_detail": {"decision": "accept"},
        "action_create": {
            "description": "New action",
            "owner_agency": str((world.agency_x if target == "x" else world.agency_y).pk),
            "status": "not_started",
        },
        "sign_off_create": {
            "board": str(world.board_a.pk),
            "minute_reference": "12/3",
            "decision": "not_yet",
            **{f"meeting_date{k}": v for k, v in date.items()},
        },
    }[name]


def test_every_work_url_is_in_the_matrix():
    names = {pattern.name for pattern in work_urls.urlpatterns}
    assert names == {name for name, *_ in URLS}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(matrix, role, target):
    world, objects, unverified = matrix
    client = Client()  # CSRF is tested elsewhere; here only who may do what.
    if role == "unverified":
        login_unverified(client, unverified)
    elif role != "anonymous":
        login_verified(client, world.user(role))
    actual, expected = {}, {}
    for name, method, object_kind, may in URLS:
        kwargs = {"pk": objects[target][object_kind].pk} if object_kind else {}
        url = reverse(f"tracker:{name}", kwargs=kwargs)
        if method == "get":
            response = client.get(url)
        else:
            data = _post_data(name, target, world)
            if name == "action_change" and role not in MANAGES[target]:
                data.pop("owner_agency")
            response = client.post(url, data)
        key = f"{method.upper()} {name}"
        actual[key] = response.status_code
        expected[key] = expected_status(role, target, method, object_kind, may)
    assert actual == expected


def test_an_agency_lead_reads_other_agencies_actions_on_a_recommendation_they_share(world):
    """Lead Y sees X's action on the joint recommendation (both have actions there), but cannot change it."""
    evidence = EvidenceFactory(action=world.action_x, supplied_by=world.user("lead_x"))
    client = Client()
    login_verified(client, world.user("lead_y"))
    assert client.get(reverse("tracker:action_detail", kwargs={"pk": world.action_x.pk})).status_code == 200
    assert client.get(reverse("tracker:evidence_detail", kwargs={"pk": evidence.pk})).status_code == 200
    response = client.post(
        reverse("tracker:action_change", kwargs={"pk": world.action_x.pk}),
        {"description": "Mine now", "status": "complete"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("tracker:evidence_create", kwargs={"pk": world.action_x.pk}), {"kind": "note"}
    )
    assert response.status_code == 403
    world.action_x.refresh_from_db()
    assert world.action_x.status == Action.Status.NOT_STARTED
    assert Evidence.objects.filter(action=world.action_x).count() == 1
