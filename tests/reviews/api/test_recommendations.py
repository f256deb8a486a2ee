"""GET /api/v1/recommendations/, /api/v1/reviews/<slug>/recommendations/ and one recommendation."""

import pytest

from tests.reviews.factories import RecommendationFactory, ReviewFactory


def references(response) -> list[tuple[str, str]]:
    return [(item["review"]["slug"], item["reference"]) for item in response.json()["results"]]


def test_the_list_holds_recommendations_of_published_reviews_only(api_client, content):
    response = api_client.get("/api/v1/recommendations/")

    assert response.status_code == 200
    assert response.json()["count"] == 3
    # Newest review first, then in the order of the report.
    assert references(response) == [
        ("training-review", "1"),
        ("newcastle-jscr-2018", "N1"),
        ("newcastle-jscr-2018", "N2"),
    ]
    assert "Hidden draft recommendation" not in response.content.decode()


def test_each_recommendation_names_its_review(api_client, content):
    item = api_client.get("/api/v1/recommendations/?review=newcastle-jscr-2018").json()["results"][0]

    assert item["review"] == {
        "slug": "newcastle-jscr-2018",
        "short_title": "Joint serious case review",
        "title": "Joint serious case review into sexual exploitation",
        "api_url": "http://testserver/api/v1/reviews/newcastle-jscr-2018/",
    }
    assert item["links"]["api"] == "http://testserver/api/v1/reviews/newcastle-jscr-2018/recommendations/N1/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("review=newcastle-jscr-2018", [("newcastle-jscr-2018", "N1"), ("newcastle-jscr-2018", "N2")]),
        ("review=draft-review", []),
        ("review=no-such-review", []),
        ("audience=children", [("training-review", "1"), ("newcastle-jscr-2018", "N1")]),
        ("audience=adults", [("newcastle-jscr-2018", "N1"), ("newcastle-jscr-2018", "N2")]),
        ("audience=both", [("newcastle-jscr-2018", "N1")]),
        ("theme=perpetrators", [("newcastle-jscr-2018", "N1")]),
        ("theme=transition-to-adulthood", [("training-review", "1"), ("newcastle-jscr-2018", "N2")]),
        ("addressee=local", [("training-review", "1")]),
        ("addressee=national", [("newcastle-jscr-2018", "N1"), ("newcastle-jscr-2018", "N2")]),
        ("status=in_progress", [("training-review", "1")]),
        ("status=not_started", []),
        ("q=perpetrators", [("newcastle-jscr-2018", "N1")]),
        ("q=grooming", [("training-review", "1")]),
        ("q=protect adults", [("newcastle-jscr-2018", "N2")]),
        ("q=perpetrators&addressee=local", []),
        # Repeated: any of the values, each row once; different parameters: all of them.
        (
            "theme=perpetrators&theme=transition-to-adulthood",
            [("training-review", "1"), ("newcastle-jscr-2018", "N1"), ("newcastle-jscr-2018", "N2")],
        ),
        ("status=in_progress&status=not_started", [("training-review", "1")]),
        (
            "review=training-review&review=newcastle-jscr-2018&audience=children",
            [("training-review", "1"), ("newcastle-jscr-2018", "N1")],
        ),
    ],
)
def test_filters_across_reviews(api_client, content, query, expected):
    response = api_client.get(f"/api/v1/recommendations/?{query}")

    assert response.status_code == 200
    assert references(response) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["N1", "N2"]),
        ("audience=adults", ["N1", "N2"]),
        ("audience=children", ["N1"]),
        ("theme=transition-to-adulthood", ["N2"]),
        ("status=progressed_in_full", ["N1", "N2"]),
        ("q=grooming", []),
        ("q=law", ["N2"]),
    ],
)
def test_filters_within_a_review(api_client, content, query, expected):
    response = api_client.get(f"/api/v1/reviews/newcastle-jscr-2018/recommendations/?{query}")

    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["results"]] == expected


def test_the_recommendations_of_an_unpublished_or_unknown_review_are_not_found(api_client, content):
    for slug in ("draft-review", "no-such-review"):
        response = api_client.get(f"/api/v1/reviews/{slug}/recommendations/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No published review has this slug."}


def test_one_recommendation(api_client, content):
    response = api_client.get("/api/v1/reviews/newcastle-jscr-2018/recommendations/N2/")

    assert response.status_code == 200
    item = response.json()
    assert item["reference"] == "N2"
    assert item["title"] == "Powers to protect adults"
    assert item["audience"] == "adults"
    assert item["finding"] is None
    assert item["themes"] == [{"slug": "transition-to-adulthood", "name": "Transition to adulthood"}]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reviews/newcastle-jscr-2018/recommendations/N9/",
        "/api/v1/reviews/draft-review/recommendations/1/",
        "/api/v1/reviews/training-review/recommendations/N1/",
        "/api/v1/reviews/newcastle-jscr-2018/recommendations/%00/",
        "/api/v1/reviews/newcastle-jscr-2018/recommendations/" + "N" * 300 + "/",
    ],
)
def test_a_recommendation_not_published_there_is_not_found(api_client, content, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "This review has no published recommendation with this reference."}


def test_pagination_of_recommendations(api_client, db):
    review = ReviewFactory()
    RecommendationFactory.create_batch(7, review=review)

    pages = [
        api_client.get(f"/api/v1/reviews/{review.slug}/recommendations/?page_size=3&page={n}").json()
        for n in (1, 2, 3)
    ]

    assert [len(page["results"]) for page in pages] == [3, 3, 1]
    assert all(page["count"] == 7 for page in pages)
    assert pages[2]["next"] is None
    assert len({item["reference"] for page in pages for item in page["results"]}) == 7
