"""Any text in any filter gives the page or a clear 400, never a 500 (Hypothesis)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import UserFactory
from tests.partnership.factories import BoardFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db

NAMES = [
    "start_0",
    "start_1",
    "start_2",
    "end_0",
    "end_1",
    "end_2",
    "period",
    "board",
    "team",
    "source",
    "about",
    "signs",
    "decision",
    "route",
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.sampled_from(
        ["week", "month", "quarter", "yes", "none", "rule", "child", "public", "31", "2", "2026"]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=8))
def test_any_filter_values_give_a_page_or_a_400(client, query):
    login_verified(client, _member())
    response = client.get(reverse("insight:clock"), query)
    assert response.status_code in (200, 400), (query, response.status_code)


def _member():
    from safeguarding.accounts.models import User

    return User.objects.filter(username="fuzz.member").first() or UserFactory(
        username="fuzz.member", board_member=BoardFactory()
    )
