"""The acceptance check of issue 2: the default content, loaded as on a fresh install, through the API."""

import pytest
from django.core.management import call_command


@pytest.fixture
def default_content(db):
    call_command("load_default_content", verbosity=0)


def test_the_newcastle_review_with_its_recommendations(api_client, default_content):
    response = api_client.get("/api/v1/reviews/newcastle-jscr-2018/")

    assert response.status_code == 200
    review = response.json()
    assert review["slug"] == "newcastle-jscr-2018"
    assert review["published_on"] == "2018-02-23"
    assert review["is_demo"] is False
    assert len(review["boards"]) == 2
    references = [r["reference"] for r in review["recommendations"]]
    assert references == ["N1", "N2", "N3", "N4", "N5"]
    assert all(r["reference_is_provisional"] for r in review["recommendations"])
    assert all(r["text"] and r["addressee"] == "national" for r in review["recommendations"])
    assert review["findings"]
    assert review["themes"]


def test_the_default_content_is_searchable(api_client, default_content):
    response = api_client.get("/api/v1/recommendations/?q=perpetrators")

    assert response.status_code == 200
    assert response.json()["count"] >= 1
    assert {r["review"]["slug"] for r in response.json()["results"]} == {"newcastle-jscr-2018"}
