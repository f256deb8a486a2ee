"""Routing rules and decision options on the settings pages: each change saved, audited with who and
before-and-after, applied to the next concern; bad input answered with a specific message and a 400."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from safeguarding.administration.forms import DecisionOptionForm
from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import DecisionOption, RoutingRule
from safeguarding.concerns.selectors import decision_options_for
from tests.concerns.factories import ConcernFactory, TeamFactory

pytestmark = pytest.mark.django_db

RULE = {
    "name": "Exploitation signs to the missing-from-home team",
    "about_in": ["child", "not_sure"],
    "immediate_danger": "any",
    "has_exploitation_signs": "yes",
    "mark_urgent": "no",
}


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in _page(response).select(".govuk-error-summary__list a")]


def _events(target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).order_by(
            "sequence"
        )
    )


def test_the_list_shows_every_rule_in_order_with_its_conditions(admin_client):
    page = _page(admin_client.get(reverse("administration:routing_rule_list")))
    rows = page.select("#rules tbody tr")
    assert len(rows) == RoutingRule.objects.count()
    first = rows[0].get_text(" ", strip=True)
    assert "Children to the children's front door" in first
    assert "About: a child or young person (under 18)" in first
    assert "Send to Children's front door" in first
    assert page.select_one("h1").get_text() == "Routing rules"


def test_an_administrator_adds_a_rule_and_the_next_concern_follows_it(admin_client, administrator):
    team = TeamFactory(name="Missing from home team", slug="missing-from-home")
    response = admin_client.post(reverse("administration:routing_rule_add"), {**RULE, "team": team.pk})
    assert response.status_code == 302
    rule = RoutingRule.objects.get(name=RULE["name"])
    assert rule.about_in == ["child", "not_sure"]
    assert rule.has_exploitation_signs is True
    assert rule.immediate_danger is None
    assert rule.order == max(RoutingRule.objects.values_list("order", flat=True))
    (event,) = _events(rule)
    assert event.kind == AuditEvent.Kind.CREATED
    assert event.actor_id == administrator.pk
    assert event.changes["team"] == [None, team.pk]
    assert event.changes["name"] == [None, RULE["name"]]

    concern = ConcernFactory(about="child", signs=["missing"])
    assert team.pk in set(concern.routes.values_list("team_id", flat=True))
    plain = ConcernFactory(about="child")
    assert team.pk not in set(plain.routes.values_list("team_id", flat=True))


def test_changing_a_rule_records_before_and_after(admin_client):
    rule = RoutingRule.objects.get(name="Adults to adult social care")
    team = TeamFactory()
    data = {**RULE, "name": "Adults to the new team", "about_in": ["adult"], "team": team.pk}
    response = admin_client.post(reverse("administration:routing_rule_edit", kwargs={"pk": rule.pk}), data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.team == team
    (event,) = _events(rule)
    assert event.kind == AuditEvent.Kind.UPDATED
    assert event.changes["name"] == ["Adults to adult social care", "Adults to the new team"]
    assert event.changes["has_exploitation_signs"] == [None, True]
    assert "about_in" not in event.changes  # unchanged


def test_moving_a_rule_up_renumbers_the_rules(admin_client):
    rules = list(RoutingRule.objects.order_by("order", "id"))
    response = admin_client.post(
        reverse("administration:routing_rule_move", kwargs={"pk": rules[1].pk, "direction": "up"})
    )
    assert response.status_code == 302
    after = list(RoutingRule.objects.order_by("order", "id"))
    assert [r.pk for r in after[:2]] == [rules[1].pk, rules[0].pk]
    assert [r.order for r in after] == [10 * (i + 1) for i in range(len(after))]
    (event,) = _events(rules[1])
    assert event.changes == {"position": [2, 1]}
    # Nowhere further to go: nothing changes, nothing breaks.
    top = after[0]
    admin_client.post(reverse("administration:routing_rule_move", kwargs={"pk": top.pk, "direction": "up"}))
    assert RoutingRule.objects.order_by("order", "id").first() == top


def test_a_move_that_is_neither_up_nor_down_is_not_found(admin_client):
    rule = RoutingRule.objects.first()
    url = reverse("administration:routing_rule_move", kwargs={"pk": rule.pk, "direction": "sideways"})
    assert admin_client.post(url).status_code == 404


def test_a_rule_switched_off_routes_nothing(admin_client):
    rule = RoutingRule.objects.get(name="Signs of exploitation: also to the exploitation team")
    url = reverse("administration:routing_rule_active", kwargs={"pk": rule.pk})
    confirm = _page(admin_client.get(url))
    assert confirm.select_one("h1").get_text().startswith("Switch off the routing rule")
    assert admin_client.post(url).status_code == 302
    rule.refresh_from_db()
    assert rule.active is False
    assert _events(rule)[-1].changes == {"active": [True, False]}
    concern = ConcernFactory(about="child", signs=["missing"])
    assert not concern.routes.filter(rule=rule).exists()


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Enter a name for the rule", "Select whether the rule looks at immediate danger"]),
        ({**RULE, "name": "   "}, ["Enter a name for the rule"]),
        ({**RULE, "team": ""}, ["Select a team to send matching concerns to, or mark them urgent"]),
        ({**RULE, "team": "99999"}, ["Select a team from the list"]),
        ({**RULE, "team": "not-a-number"}, ["Select a team from the list"]),
        ({**RULE, "about_in": ["martian"]}, ["Select who the concern is about from the list"]),
        ({**RULE, "mark_urgent": "perhaps"}, ["Select whether to mark matching concerns urgent"]),
        ({**RULE, "name": "x" * 201}, ["Name of the rule must be 200 characters or fewer"]),
    ],
)
def test_bad_rules_get_a_specific_message_and_a_400(admin_client, data, messages):
    before = RoutingRule.objects.count()
    response = admin_client.post(reverse("administration:routing_rule_add"), data)
    assert response.status_code == 400
    errors = _errors(response)
    for message in messages:
        assert message in errors
    assert "This field is required." not in response.content.decode()
    assert _page(response).title.get_text().startswith("Error:")
    assert RoutingRule.objects.count() == before


# --- Decision options ------------------------------------------------------------------------------

OPTION = {"name": "Refer to the missing-from-home team", "applies_to": "children", "retention_years": "25"}


def test_an_administrator_adds_a_decision_option_and_triage_workers_can_choose_it(
    admin_client, administrator
):
    response = admin_client.post(
        reverse("administration:decision_option_add"), {**OPTION, "closes_concern": "no"}
    )
    assert response.status_code == 302
    option = DecisionOption.objects.get(name=OPTION["name"])
    assert (option.code, option.retention_years, option.applies_to) == (
        "refer-to-the-missing-from-home-team",
        25,
        "children",
    )
    (event,) = _events(option)
    assert event.actor_id == administrator.pk
    assert event.changes["retention_years"] == [None, 25]
    assert option in decision_options_for(ConcernFactory(about="child"))
    assert option not in decision_options_for(ConcernFactory(about="adult"))
    page = _page(admin_client.get(reverse("administration:decision_option_list")))
    row = page.select_one(f"#option-{option.pk}").get_text(" ", strip=True)
    assert "25" in row
    assert "Concerns about children" in row


def test_changing_the_retention_period_is_recorded(admin_client):
    option = DecisionOption.objects.first()
    years = option.retention_years
    data = {**DecisionOptionForm.initial_for(option), "retention_years": str(years + 1)}
    url = reverse("administration:decision_option_edit", kwargs={"pk": option.pk})
    assert admin_client.post(url, data).status_code == 302
    (event,) = _events(option)
    assert event.changes == {"retention_years": [years, years + 1]}


def test_an_option_switched_off_is_no_longer_offered(admin_client):
    option = DecisionOption.objects.filter(applies_to="any").first()
    url = reverse("administration:decision_option_active", kwargs={"pk": option.pk})
    assert admin_client.post(url).status_code == 302
    assert option not in decision_options_for(ConcernFactory(about="child"))
    assert _events(option)[-1].changes == {"active": [True, False]}


def test_the_last_option_cannot_be_switched_off(admin_client):
    last = DecisionOption.objects.first()
    DecisionOption.objects.exclude(pk=last.pk).update(active=False)
    response = admin_client.post(reverse("administration:decision_option_active", kwargs={"pk": last.pk}))
    assert response.status_code == 400
    assert "Keep at least one decision switched on" in response.content.decode()
    last.refresh_from_db()
    assert last.active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {**OPTION, "closes_concern": "no", "retention_years": "six"},
            "Years kept must be a whole number, like 6",
        ),
        ({**OPTION, "closes_concern": "no", "retention_years": "0"}, "Years kept must be between 1 and 100"),
        (
            {**OPTION, "closes_concern": "no", "retention_years": "1000"},
            "Years kept must be between 1 and 100",
        ),
        (
            {**OPTION, "closes_concern": "no", "retention_years": ""},
            "Enter how many years a concern decided this way is kept",
        ),
        (
            {**OPTION, "closes_concern": "no", "applies_to": "dogs"},
            "Select which concerns the decision is for",
        ),
        ({**OPTION, "closes_concern": ""}, "Select whether deciding this closes the concern"),
        ({**OPTION, "closes_concern": "no", "name": ""}, "Enter a name for the decision"),
    ],
)
def test_bad_options_get_a_specific_message_and_a_400(admin_client, data, message):
    response = admin_client.post(reverse("administration:decision_option_add"), data)
    assert response.status_code == 400
    assert message in _errors(response)
