"""GET /api/v1/reviews/ and /api/v1/reviews/<slug>/."""

import pytest

from tests.reviews.factories import ReviewFactory


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_the_review_with_its_recommendations(api_client, content):
    response = api_client.get("/api/v1/reviews/newcastle-jscr-2018/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    review = response.json()
    assert review["slug"] == "newcastle-jscr-2018"
    assert review["title"] == "Joint serious case review into sexual exploitation"
    assert review["review_type"] == "jscr"
    assert review["review_type_label"] == "Joint serious case review"
    assert review["published_on"] == "2018-02-23"
    assert review["is_demo"] is False
    assert [r["reference"] for r in review["recommendations"]] == ["N1", "N2"]
    assert review["recommendation_count"] == 2
    first = review["recommendations"][0]
    assert first["title"] == "Research into perpetrators"
    assert first["text"].startswith("Government to commission research")
    assert first["reference_is_provisional"] is True
    assert first["addressee"] == "national"
    assert first["addressed_to"] == "Government"
    assert first["audience"] == "both"
    assert first["audience_label"] == "Children and adults"
    assert first["public_status"] == "progressed_in_full"
    assert first["public_status_label"] == "Progressed in full"
    assert first["finding"] == {"reference": "F1", "title": "Adults are exploited as well as children"}
    assert first["themes"] == [{"slug": "perpetrators", "name": "Perpetrators"}]
    assert [a["name"] for a in first["lead_agencies"]] == ["Testborough Police"]
    assert first["reflective_questions"] == ["What do you know about perpetrators in your area?"]
    assert [r["title"] for r in first["resources"]] == ["Guidance on disruption"]
    assert first["links"]["html"] == "http://testserver/reviews/newcastle-jscr-2018/recommendations/N1/"


def test_the_review_shows_boards_milestones_findings_themes_resources_and_media(api_client, content):
    review = api_client.get("/api/v1/reviews/newcastle-jscr-2018/").json()

    assert sorted(b["slug"] for b in review["boards"]) == ["tsab", "tscp"]
    assert review["milestones"] == [
        {
            "date": "2019-11-01",
            "precision": "month",
            "title": "Both boards agree all recommendations progressed in full",
            "description": "",
        }
    ]
    assert [f["reference"] for f in review["findings"]] == ["F1"]
    assert [t["name"] for t in review["themes"]] == ["Perpetrators", "Transition to adulthood"]
    # Review-level resources only; a recommendation's resources are listed under it. A blank link is null.
    assert review["resources"] == [{"title": "The full report", "url": None, "description": ""}]
    assert review["media"][0]["transcript"] == "Narrator: the boards worked together."
    assert review["media"][0]["url"] == "https://example.org/film"
    assert review["briefing_questions"] == ["What would you do?"]
    assert review["report_url"] == "https://example.org/report.pdf"


def test_the_review_links_to_its_pages(api_client, content):
    links = api_client.get("/api/v1/reviews/newcastle-jscr-2018/").json()["links"]

    assert links == {
        "html": "http://testserver/reviews/newcastle-jscr-2018/",
        "briefing": "http://testserver/reviews/newcastle-jscr-2018/briefing/",
        "briefing_pdf": "http://testserver/reviews/newcastle-jscr-2018/briefing.pdf",
        "api": "http://testserver/api/v1/reviews/newcastle-jscr-2018/",
        "recommendations": "http://testserver/api/v1/reviews/newcastle-jscr-2018/recommendations/",
    }


def test_an_unpublished_review_is_not_found(api_client, content):
    response = api_client.get("/api/v1/reviews/draft-review/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No published review has this slug."}


def test_the_list_holds_published_reviews_newest_first(api_client, content):
    response = api_client.get("/api/v1/reviews/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert slugs(response) == ["training-review", "newcastle-jscr-2018"]
    jscr = body["results"][1]
    assert jscr["recommendation_count"] == 2
    assert jscr["is_demo"] is False
    assert body["results"][0]["is_demo"] is True
    assert "recommendations" not in jscr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("review_type=jscr", ["newcastle-jscr-2018"]),
        ("review_type=sar", ["training-review"]),
        ("review_type=cspr", []),
        ("theme=perpetrators", ["newcastle-jscr-2018"]),
        ("theme=transition-to-adulthood", ["training-review", "newcastle-jscr-2018"]),
        ("theme=no-such-theme", []),
        ("audience=children", ["training-review", "newcastle-jscr-2018"]),
        ("audience=adults", ["newcastle-jscr-2018"]),
        ("audience=both", ["newcastle-jscr-2018"]),
        ("board=tscp", ["newcastle-jscr-2018"]),
        ("board=tsab", ["training-review", "newcastle-jscr-2018"]),
        ("q=perpetrators", ["newcastle-jscr-2018"]),
        ("q=grooming", ["training-review"]),
        ("q=nothing-matches-this", []),
        ("q=grooming&review_type=jscr", []),
        # Repeated: any of the values; different parameters: all of them.
        ("review_type=jscr&review_type=sar", ["training-review", "newcastle-jscr-2018"]),
        ("board=tscp&board=tsab", ["training-review", "newcastle-jscr-2018"]),
        ("theme=perpetrators&theme=transition-to-adulthood", ["training-review", "newcastle-jscr-2018"]),
        ("theme=perpetrators&theme=transition-to-adulthood&review_type=sar", ["training-review"]),
        ("audience=adults&audience=children", ["training-review", "newcastle-jscr-2018"]),
    ],
)
def test_filters(api_client, content, query, expected):
    response = api_client.get(f"/api/v1/reviews/?{query}")

    assert response.status_code == 200
    assert slugs(response) == expected


def test_an_empty_search_is_ignored(api_client, content):
    response = api_client.get("/api/v1/reviews/?q=")

    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_pagination(api_client, db):
    ReviewFactory.create_batch(5)

    first = api_client.get("/api/v1/reviews/?page_size=2").json()
    last = api_client.get("/api/v1/reviews/?page_size=2&page=3").json()

    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/reviews/?page=2&page_size=2"
    assert len(last["results"]) == 1
    assert last["next"] is None
    seen = {
        r["slug"]
        for page in (1, 2, 3)
        for r in api_client.get(f"/api/v1/reviews/?page_size=2&page={page}").json()["results"]
    }
    assert len(seen) == 5


def test_a_page_past_the_end_is_not_found(api_client, content):
    response = api_client.get("/api/v1/reviews/?page=9")

    assert response.status_code == 404
    assert "detail" in response.json()
