"""The whole staff area: every URL under /staff/ has a rule, and every role gets what the rule says.

Work pages (actions, evidence, sign-off) have their matrix in test_permission_matrix.py; this file
holds the dashboards, reports and exports, the sign-in pages and the admin, and checks that no
staff URL exists without a row in one of the two. A URL added later without a rule fails here.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.accounts.factories import UserFactory
from tests.administration.test_permissions import SETTINGS_URLS
from tests.staff import login_unverified, login_verified
from tests.tracker import test_permission_matrix as work_matrix

ROLES = work_matrix.ROLES
# url name, kwargs from the world, extra query, who gets 404 (cannot see it).
# A triage worker has no part in the tracker: 404 on every dashboard, report and export (issue 10,
# finding 9); the dashboard landing page sends them to their queues instead (tested below).
DASHBOARD_URLS = [
    ("dashboard_review", {"review_id": "review"}, "", {"triage_worker"}),
    ("dashboard_board", {"board_id": "board_a"}, "", {"triage_worker"}),
    ("dashboard_agency", {"agency_id": "agency_x"}, "", {"lead_y", "triage_worker"}),
    ("board_report_pdf", {"board_id": "board_a"}, "", {"triage_worker"}),
    ("export_actions_csv", {}, "", {"triage_worker"}),
    ("export_actions_csv", {}, "?agency={agency_x}", {"lead_y", "triage_worker"}),
    ("export_actions_xlsx", {}, "", {"triage_worker"}),
    ("export_actions_xlsx", {}, "?agency={agency_x}", {"lead_y", "triage_worker"}),
]
# Sign-in pages: reachable before sign-in (200), or sending a stranger back to sign in (302).
ACCOUNT_URLS = {"login": 200, "verify": 302, "setup": 302, "backup_codes": 302, "logout": 302}
# Triage of concerns: the matrix for these is in tests/concerns/test_permissions.py.
CONCERN_URLS = {
    "team_list",
    "team_queue",
    "team_queue_search",
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
}
# Seeing the pattern: the matrix for these is in tests/linking/test_permissions.py.
LINKING_URLS = {
    "network_list",
    "hotspot_list",
    "network_detail",
    "link_detail",
    "alert_list",
    "alert_detail",
}

# A concern's identifiers: the matrix for these is in tests/linking/views/test_identifier_permissions.py.
IDENTIFIER_URLS = {
    "concern_identifiers",
    "identifier_add",
    "identifier_correct",
    "identifier_remove",
    "suggestion_accept",
    "suggestion_dismiss",
}

# Concern statistics: the matrix for these is in tests/insight/test_views.py.
INSIGHT_URLS = {"volumes", "clock", "urgent", "repeats", "shares", "queue", "csv", "xlsx"}
# Learning across reviews: the matrix for these is in tests/learning/test_views.py.
LEARNING_URLS = {"pairs", "themes"}
# Publishing public statistics: every page, for every other role, in tests/statistics/test_views.py.
STATISTICS_URLS = {
    "quarter_list",
    "quarter_preview",
    "publication_detail",
    "publication_publish",
    "publication_discard",
    "publication_withdraw",
}


def _staff_routes() -> set[str]:
    """The name of every URL under /staff/, except the Django admin's own."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> list[tuple[str, str]]:
        found = []
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                found += walk(entry, route, inner)
            elif isinstance(entry, URLPattern):
                found.append((route, f"{namespace}{entry.name}"))
        return found

    return {name for route, name in walk(get_resolver(), "", "") if route.startswith("staff/")}


def test_every_staff_url_has_a_rule():
    covered = {f"tracker:{name}" for name, *_ in work_matrix.URLS}
    covered |= {f"tracker:{name}" for name, *_ in DASHBOARD_URLS} | {"tracker:dashboard"}
    covered |= {f"accounts:{name}" for name in ACCOUNT_URLS}
    covered |= {f"concerns:{name}" for name in CONCERN_URLS}
    covered |= {f"linking_identifiers:{name}" for name in IDENTIFIER_URLS}
    covered |= {f"linking:{name}" for name in LINKING_URLS}
    covered |= {"workspace:home"}
    covered |= {f"insight:{name}" for name in INSIGHT_URLS}
    # The settings pages: the matrix for these is in tests/administration/test_permissions.py; the
    # set-password link (a token in the URL) in tests/administration/test_users.py.
    covered |= {f"administration:{name}" for name in SETTINGS_URLS} | {"accounts:set_password"}
    covered |= {f"learning:{name}" for name in LEARNING_URLS}
    covered |= {f"statistics:{name}" for name in STATISTICS_URLS}
    admin = {name for name in _staff_routes() if name.startswith("admin:")}
    missing = sorted(_staff_routes() - covered - admin)
    assert not missing, f"staff URLs without a permission rule: {missing}"


def _client_for(role: str, world) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "unverified":
        return login_unverified(client, world.user("lead_x"))
    return login_verified(client, world.user(role))


def _expected(role: str, hidden_from: set[str]) -> int:
    if role in ("anonymous", "unverified"):
        return 302
    if role == "no_role":
        return 403
    return 404 if role in hidden_from else 200


@pytest.mark.parametrize("role", ROLES)
def test_dashboards_reports_and_exports_for_every_role(role, world):
    client = _client_for(role, world)
    objects = {
        "review": world.review.pk,
        "board_a": world.board_a.pk,
        "agency_x": world.agency_x.pk,
    }
    for name, kwargs, query, hidden_from in DASHBOARD_URLS:
        url = reverse(f"tracker:{name}", kwargs={k: objects[v] for k, v in kwargs.items()})
        url += query.format(**objects)
        response = client.get(url)
        assert response.status_code == _expected(role, hidden_from), (role, url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_landing_page_for_every_role(role, world):
    response = _client_for(role, world).get(reverse("tracker:dashboard"))
    if role == "triage_worker":
        assert (response.status_code, response["Location"]) == (302, reverse("concerns:team_list"))
    else:
        assert response.status_code == _expected(role, set()), (role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_home_for_every_role(role, world):
    # Every member of staff has a home, showing the work of whatever roles they hold.
    response = _client_for(role, world).get(reverse("workspace:home"))
    assert response.status_code == _expected(role, set()), (role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "status"), ACCOUNT_URLS.items())
def test_sign_in_pages_for_a_stranger(name, status, client):
    assert client.get(reverse(f"accounts:{name}")).status_code == status


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_the_admin_opens_only_to_verified_superusers(role, world):
    # Administrators use the settings pages (tests/administration); the admin is a superuser's fallback.
    client = (
        _client_for(role, world)
        if role != "superuser"
        else login_verified(Client(), UserFactory(is_superuser=True))
    )
    response = client.get(reverse("admin:index"), follow=True)
    if role == "superuser":
        assert response.status_code == 200
        assert not response.redirect_chain
    elif role in ("anonymous", "unverified"):
        # Sent to sign in, or to finish two-step verification, through the admin's own login page.
        assert response.redirect_chain
        assert response.request["PATH_INFO"].startswith("/staff/account/")
    else:
        assert response.status_code == 403, (role, response.status_code)
