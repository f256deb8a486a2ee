"""Who may open each settings page: verified administrators (the role, or a superuser) only.

Anyone not signed in, or not past two-step verification, is sent to do so; every other role gets 403,
on every URL and every method. A settings URL added without a row here fails
`test_every_settings_url_has_a_row` (and the staff area's own check in tests/tracker).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from safeguarding.accounts.models import AgencyApiToken, User
from safeguarding.accounts.tokens import api_token_create
from safeguarding.concerns.models import DecisionOption, RoutingRule, Team
from safeguarding.partnership.models import Agency, Board, ContactPoint
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory, ContactPointFactory
from tests.staff import login_unverified, login_verified

# url name -> what its kwargs need ("rule", "option"...), and whether it is a POST-only URL.
SETTINGS_URLS: dict[str, tuple[dict[str, str], bool]] = {
    "index": ({}, False),
    "routing_rule_list": ({}, False),
    "routing_rule_add": ({}, False),
    "routing_rule_edit": ({"pk": "rule"}, False),
    "routing_rule_move": ({"pk": "rule", "direction": "up"}, True),
    "routing_rule_active": ({"pk": "rule"}, False),
    "decision_option_list": ({}, False),
    "decision_option_add": ({}, False),
    "decision_option_edit": ({"pk": "option"}, False),
    "decision_option_active": ({"pk": "option"}, False),
    "team_list": ({}, False),
    "team_add": ({}, False),
    "team_detail": ({"pk": "team"}, False),
    "team_edit": ({"pk": "team"}, False),
    "team_member_add": ({"pk": "team"}, False),
    "team_member_remove": ({"pk": "team", "user_pk": "member"}, False),
    "team_lead": ({"pk": "team"}, False),
    "contact_point_list": ({}, False),
    "contact_point_add": ({}, False),
    "contact_point_edit": ({"pk": "contact"}, False),
    "contact_point_delete": ({"pk": "contact"}, False),
    "partnership_edit": ({}, False),
    "board_list": ({}, False),
    "board_add": ({}, False),
    "board_edit": ({"pk": "board"}, False),
    "board_delete": ({"pk": "board"}, False),
    "agency_list": ({}, False),
    "agency_add": ({}, False),
    "agency_edit": ({"pk": "agency"}, False),
    "agency_delete": ({"pk": "agency"}, False),
    "user_list": ({}, False),
    "user_add": ({}, False),
    "user_detail": ({"pk": "account"}, False),
    "user_edit": ({"pk": "account"}, False),
    "role_add": ({"pk": "account"}, False),
    "role_remove": ({"pk": "account", "role_pk": "role"}, False),
    "user_active": ({"pk": "account"}, False),
    "user_two_step_reset": ({"pk": "account"}, False),
    "user_password_link": ({"pk": "account"}, True),
    "api_token_list": ({}, False),
    "api_token_add": ({}, False),
    "api_token_revoke": ({"pk": "token"}, False),
}

ROLES = [
    "administrator",
    "superuser",
    "viewer",
    "triage_worker",
    "manager",
    "analyst",
    "no_role",
    "unverified",
    "anonymous",
]


def _user(role: str):
    if role == "administrator":
        return UserFactory(administrator=True)
    if role == "superuser":
        return UserFactory(is_superuser=True)  # no role at all: the superuser flag is enough here
    if role == "viewer":
        return UserFactory(viewer=True)
    if role == "triage_worker":
        return UserFactory(triage_worker=True)
    if role == "manager":
        return UserFactory(partnership_manager=BoardFactory())
    if role == "analyst":
        return UserFactory(exploitation_analyst=True)
    if role == "unverified":
        return UserFactory(administrator=True)
    return UserFactory()


def _team_with_member():
    team = Team.objects.get(slug="exploitation")
    if not team.members.exists():
        team.members.add(UserFactory(username="team.member"))
    return team


def _account():
    return User.objects.filter(username="some.viewer").first() or UserFactory(
        username="some.viewer", viewer=True
    )


def settings_url(name: str) -> str:
    kwargs_spec, _ = SETTINGS_URLS[name]
    objects = {
        "rule": lambda: RoutingRule.objects.order_by("order").last().pk,
        "option": lambda: DecisionOption.objects.order_by("order").first().pk,
        "team": lambda: _team_with_member().pk,
        "account": lambda: _account().pk,
        "token": lambda: (
            (
                AgencyApiToken.objects.filter(revoked_at=None).first()
                or api_token_create(agency=AgencyFactory(), name="Fictional case system").token
            ).pk
        ),
        "role": lambda: _account().roles.get().pk,
        "contact": lambda: (ContactPoint.objects.first() or ContactPointFactory()).pk,
        "member": lambda: _team_with_member().members.get().pk,
        "board": lambda: (Board.objects.first() or BoardFactory()).pk,
        "agency": lambda: (Agency.objects.first() or AgencyFactory()).pk,
    }
    kwargs = {k: (objects[v]() if v in objects else v) for k, v in kwargs_spec.items()}
    return reverse(f"administration:{name}", kwargs=kwargs)


def test_every_settings_url_has_a_row():
    from safeguarding.administration import urls

    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(SETTINGS_URLS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_verified_administrators_open_the_settings(role):
    client = Client()
    if role == "unverified":
        login_unverified(client, _user(role))
    elif role != "anonymous":
        login_verified(client, _user(role))
    for name, (_, post_only) in SETTINGS_URLS.items():
        url = settings_url(name)
        response = client.post(url) if post_only else client.get(url)
        if role in ("administrator", "superuser"):
            assert response.status_code in (200, 302), (name, response.status_code)
            if response.status_code == 302:
                assert post_only
        elif role in ("anonymous", "unverified"):
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/staff/account/")
        else:
            assert response.status_code == 403, (role, name, response.status_code)
        if not post_only and role not in ("administrator", "superuser"):
            # Changing something by POST is refused just the same.
            assert client.post(url).status_code == response.status_code, (role, name)


@pytest.mark.django_db
def test_the_staff_menu_shows_settings_to_administrators_only():
    from safeguarding.core.staff_menu import staff_menu_for

    def labels(user):
        return [entry.label for entry in staff_menu_for(user)]

    assert "Settings" in labels(UserFactory(administrator=True))
    assert "Settings" in labels(UserFactory(is_superuser=True))
    for role in ("viewer", "triage_worker", "manager", "analyst", "no_role"):
        assert "Settings" not in labels(_user(role)), role
