"""GET /api/v1/themes/."""

from tests.reviews.factories import ThemeFactory


def test_themes_with_their_counts_in_published_reviews(api_client, content):
    ThemeFactory(slug="unused", name="Unused theme")

    response = api_client.get("/api/v1/themes/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "slug": "perpetrators",
            "name": "Perpetrators",
            "description": "",
            # The draft review's recommendation has this theme too, and is not counted.
            "recommendation_count": 1,
            "review_count": 1,
            "recommendations_url": "http://testserver/api/v1/recommendations/?theme=perpetrators",
        },
        {
            "slug": "transition-to-adulthood",
            "name": "Transition to adulthood",
            "description": "",
            "recommendation_count": 2,
            "review_count": 2,
            "recommendations_url": "http://testserver/api/v1/recommendations/?theme=transition-to-adulthood",
        },
    ]


def test_a_theme_link_lists_its_recommendations(api_client, content):
    theme = api_client.get("/api/v1/themes/").json()["results"][1]

    response = api_client.get(theme["recommendations_url"])

    assert response.json()["count"] == theme["recommendation_count"]
