"""Bad requests get a clear JSON error, never a server error or an HTML page."""

import pytest

LIST_ENDPOINTS = [
    "/api/v1/reviews/",
    "/api/v1/recommendations/",
    "/api/v1/reviews/newcastle-jscr-2018/recommendations/",
    "/api/v1/themes/",
]
ALL_ENDPOINTS = [
    *LIST_ENDPOINTS,
    "/api/v1/reviews/newcastle-jscr-2018/",
    "/api/v1/reviews/newcastle-jscr-2018/recommendations/N1/",
]


@pytest.mark.parametrize(
    ("path", "parameter", "message"),
    [
        ("/api/v1/reviews/?review_type=novel", "review_type", "Select a valid choice."),
        ("/api/v1/reviews/?audience=teenagers", "audience", "Select a valid choice."),
        ("/api/v1/reviews/?theme=not a slug", "theme", "valid “slug”"),
        ("/api/v1/reviews/?board=%00", "board", "valid “slug”"),
        ("/api/v1/reviews/?board=tsab%0A", "board", "valid “slug”"),
        ("/api/v1/reviews/?theme=", "theme", "Give a value, or leave this parameter out."),
        ("/api/v1/reviews/?theme=ok&theme=", "theme", "Give a value, or leave this parameter out."),
        ("/api/v1/reviews/?board=ok&board=not%20ok", "board", "valid “slug”"),
        ("/api/v1/recommendations/?status=in_progress&status=done", "status", "Select a valid choice."),
        ("/api/v1/recommendations/?status=", "status", "Give a value, or leave this parameter out."),
        ("/api/v1/recommendations/?review=%20", "review", "Give a value, or leave this parameter out."),
        ("/api/v1/recommendations/?audience=%20", "audience", "Give a value, or leave this parameter out."),
        ("/api/v1/reviews/?q=" + "a" * 201, "q", "at most 200 characters"),
        ("/api/v1/reviews/?q=abc%00def", "q", "Null characters are not allowed."),
        ("/api/v1/recommendations/?status=done", "status", "Select a valid choice."),
        ("/api/v1/recommendations/?addressee=everyone", "addressee", "Select a valid choice."),
        ("/api/v1/recommendations/?review=" + "r" * 101, "review", "at most 100 characters"),
        (
            "/api/v1/reviews/newcastle-jscr-2018/recommendations/?audience=x",
            "audience",
            "Select a valid choice.",
        ),
        ("/api/v1/reviews/?page=0", "page", "Give a whole number from 1"),
        ("/api/v1/recommendations/?page=two", "page", "Give a whole number from 1"),
        ("/api/v1/themes/?page=-1", "page", "Give a whole number from 1"),
        ("/api/v1/themes/?page=" + "9" * 5000, "page", "Give a whole number from 1"),
        ("/api/v1/reviews/?page_size=101", "page_size", "Give a whole number from 1 to 100."),
        ("/api/v1/reviews/?page_size=", "page_size", "Give a whole number from 1 to 100."),
    ],
)
def test_an_invalid_parameter_is_a_400_naming_it(api_client, content, path, parameter, message):
    response = api_client.get(path)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert list(errors) == [parameter]
    assert message in errors[parameter][0]


def test_several_invalid_parameters_are_all_named(api_client, content):
    response = api_client.get("/api/v1/recommendations/?status=done&audience=teenagers")

    assert response.status_code == 400
    assert set(response.json()) == {"status", "audience"}


@pytest.mark.parametrize("path", ALL_ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_reading_is_allowed(api_client, content, path, method):
    response = getattr(api_client, method)(path, data={}, format="json")

    assert response.status_code == 405
    assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ALL_ENDPOINTS)
def test_head_is_allowed(api_client, content, path):
    assert api_client.head(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here/", "/api/v1/reviews/newcastle-jscr-2018/recommendations/a%2Fb/", "/api/v1/x/y/"],
)
def test_an_address_with_no_endpoint_is_a_json_404(api_client, db, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no API endpoint at this address."}


def test_an_address_without_its_slash_is_redirected(api_client, db):
    response = api_client.get("/api/v1/reviews")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/reviews/"
