"""Whatever a browser sends to any page of the journey, the reply is a page or a redirect, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.concerns.report.conftest import minimal_journey

pytestmark = pytest.mark.django_db

# Any text a browser can send (lone surrogates cannot be encoded into a request at all).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
PAGES = {
    "/report/danger/": ["immediate_danger"],
    "/report/about/": ["about"],
    "/report/what-is-happening/": ["narrative"],
    "/report/signs/": ["signs"],
    "/report/where-and-when/": ["where_and_when"],
    "/report/about-you/": ["anonymous", "name", "contact"],
    "/report/relationship/": ["relationship"],
    "/report/does-the-person-know/": ["adult_knows"],
    "/report/what-they-want/": ["adult_wants"],
    "/report/people/": ["add"],
    "/report/people/add/": [
        "role",
        "name",
        "nicknames",
        "age",
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
        "description",
    ],
    "/report/people/1/change/": ["role", "name", "age", "date_of_birth_year"],
    "/report/vehicles/add/": ["registration", "description"],
    "/report/phones/add/": ["number"],
    "/report/places/add/": ["venue", "address", "postcode"],
    "/report/online-accounts/add/": ["platform", "handle"],
    "/report/check/": ["idempotency_key"],
    "/report/follow-up/": ["reference", "receipt_code", "information"],
}


@st.composite
def page_and_data(draw):
    url = draw(st.sampled_from(sorted(PAGES)))
    names = PAGES[url] + ["unexpected"]
    data = draw(
        st.dictionaries(st.sampled_from(names), st.one_of(text, st.lists(text, max_size=3)), max_size=6)
    )
    return url, data


@pytest.fixture
def journey_client(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/h")
    client = Client()
    minimal_journey(client)
    client.post("/report/people/add/", {"role": "other", "name": "Ada Fictional"})
    return client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(page_and_data(), min_size=1, max_size=4))
def test_any_post_to_any_page_gives_a_page_or_a_redirect(journey_client, posts):
    for url, data in posts:
        response = journey_client.post(url, data)
        assert response.status_code in {200, 302, 404}, (url, response.status_code)
        assert journey_client.get("/report/check/").status_code in {200, 302}
