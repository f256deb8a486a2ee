"""Whatever is typed or posted into any field of the referral form: a page, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.concerns.referral.forms import GROUPS, SINGLE_FIELDS
from tests.conftest import html
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db

FIELD_NAMES = [
    *SINGLE_FIELDS,
    "signs",
    "idempotency_key",
    "action",
    *(f"{g.key}-count" for g in GROUPS),
    *(f"{g.key}-{n}-{name}" for g in GROUPS for n in (0, 1, 25) for name, _ in g.fields),
]
# Any text a browser could send (no lone surrogates: a browser sends UTF-8), and some that mean something.
values = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            "1",
            "-1",
            "²",
            "٣",
            "99999999999999999999999",
            "yes",
            "no",
            "adult",
            "child",
            "given",
            "not_asked",
            "send",
            "add-people",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
forms = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=25)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=forms)
def test_any_posted_form_gives_a_page(data):
    AgencyFactory()
    client = Client()  # CSRF checks off: the fuzzing is of the form, not of CSRF
    response = client.post("/refer/referral/", data)

    assert response.status_code in {200, 302, 429}, response.status_code
    if response.status_code == 200:
        # Every error the answers find is put on an input the page shows, and said in words.
        page = html(response)
        for link in page.select(".govuk-error-summary a"):
            assert page.find(id=link["href"].removeprefix("#")), link["href"]
            assert link.get_text(strip=True)
