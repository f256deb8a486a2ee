"""Any input to any settings form gives the page back with a clear error (400) or saves (302): never a
500. Anything not found is a 404."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.concerns.models import DecisionOption, RoutingRule

pytestmark = pytest.mark.django_db

FORMS = {
    "routing_rule_add": [
        "name",
        "about_in",
        "immediate_danger",
        "has_exploitation_signs",
        "team",
        "mark_urgent",
    ],
    "decision_option_add": ["name", "applies_to", "retention_years", "closes_concern"],
    "team_add": ["name", "kind"],
    "contact_point_add": ["name", "organisation", "kind", "audience", "phone", "hours", "website", "order"],
    "user_add": ["username", "first_name", "last_name", "email", "job_title", "agency"],
    "api_token_add": ["agency", "name"],
    "partnership_edit": ["name", "area", "about"],
    "board_add": ["name", "short_name", "kind", "website"],
    "agency_add": ["name", "sector"],
}
# Text a person could type, and text no form expects: control characters, very long, other scripts.
values = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=150, max_size=400),
    st.sampled_from(
        [
            *["\x00", "a\x00b", "", " ", "0", "-1", "99999999999999999999", "yes", "any", "1e3", "None"],
            *["child", "adults", "police", "triage_worker", "deactivated", "https://example.org"],
        ]
    ),
)


@pytest.mark.parametrize("name", FORMS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_input_gives_a_page_or_a_clear_error(admin_client, name, data):
    posted = {field: data.draw(values, label=field) for field in FORMS[name]}
    response = admin_client.post(reverse(f"administration:{name}"), posted)
    assert response.status_code in (200, 302, 400), (name, posted, response.status_code)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=values, role=values, show=values, page=values)
def test_any_user_search_gives_a_page_or_a_clear_error(admin_client, q, role, show, page):
    response = admin_client.get(
        reverse("administration:user_list"), {"q": q, "role": role, "show": show, "page": page}
    )
    assert response.status_code in (200, 400), (q, role, show, page, response.status_code)


@pytest.mark.parametrize(
    "name",
    [
        "routing_rule_edit",
        "decision_option_edit",
        "team_detail",
        "contact_point_edit",
        "user_detail",
        "board_edit",
        "board_delete",
        "agency_edit",
        "agency_delete",
    ],
)
def test_anything_not_there_is_not_found(admin_client, name):
    assert admin_client.get(reverse(f"administration:{name}", kwargs={"pk": 987654})).status_code == 404


def test_editing_with_any_input_never_fails(admin_client):
    rule = RoutingRule.objects.first()
    option = DecisionOption.objects.first()
    for url, data in [
        (reverse("administration:routing_rule_edit", kwargs={"pk": rule.pk}), {"about_in": ["x", "child"]}),
        (
            reverse("administration:decision_option_edit", kwargs={"pk": option.pk}),
            {"retention_years": "ten"},
        ),
    ]:
        assert admin_client.post(url, data).status_code == 400
