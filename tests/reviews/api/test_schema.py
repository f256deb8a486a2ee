"""The OpenAPI schema at /api/v1/schema/: valid, complete, and true to what the API does.

schemathesis generates requests from the schema (valid and invalid ones) against the application
in-process, with content in the test database, and checks every response against the schema: no
server error, only documented status codes and content types, bodies that match their schemas,
invalid input rejected.
"""

import io
import os

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

ENDPOINTS = {
    "/api/v1/reviews/",
    "/api/v1/reviews/{slug}/",
    "/api/v1/reviews/{slug}/recommendations/",
    "/api/v1/reviews/{slug}/recommendations/{reference}/",
    "/api/v1/recommendations/",
    "/api/v1/themes/",
    "/api/v1/concerns/",
}
# The one endpoint that writes: concerns from agency systems, with an agency API token.
WRITE_ENDPOINTS = {"/api/v1/concerns/": {"post"}}


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def parameters(openapi: dict, path: str) -> dict[str, dict]:
    return {p["name"]: p for p in openapi["paths"][path]["get"]["parameters"]}


def test_the_schema_is_valid_and_generates_without_warnings():
    out = io.StringIO()
    # --fail-on-warn turns any drf-spectacular warning (an undocumented type or parameter) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)

    assert yaml.safe_load(out.getvalue())["openapi"].startswith("3.")


def test_the_schema_documents_every_endpoint_as_read_only_except_concerns(openapi):
    assert set(openapi["paths"]) == ENDPOINTS
    for path, operations in openapi["paths"].items():
        assert set(operations) == WRITE_ENDPOINTS.get(path, {"get"}), path


def test_the_concerns_endpoint_is_documented_with_its_token_and_key(openapi):
    operation = openapi["paths"]["/api/v1/concerns/"]["post"]

    assert openapi["components"]["securitySchemes"]["agencyToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": openapi["components"]["securitySchemes"]["agencyToken"]["description"],
    }
    assert operation["security"] == [{"agencyToken": []}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ConcernSubmissionRequest"}
    submission = openapi["components"]["schemas"]["ConcernSubmissionRequest"]
    assert {"immediate_danger", "about", "narrative", "reporter", "professional"} <= set(
        submission["required"]
    )
    assert "vehicles" in submission["properties"]
    signs = submission["properties"]["signs"]["items"]["$ref"].rsplit("/", 1)[1]
    assert "missing" in openapi["components"]["schemas"][signs]["enum"]
    key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert key["in"] == "header"
    assert key["required"] is True
    assert {"200", "201", "400", "401", "405", "429"} <= set(operation["responses"])
    # The read-only endpoints stay open: no security requirement of their own.
    assert (
        not openapi["paths"]["/api/v1/themes/"]["get"].get("security")
        or {} in openapi["paths"]["/api/v1/themes/"]["get"]["security"]
    )


def test_the_filters_are_documented_with_their_values(openapi):
    reviews = parameters(openapi, "/api/v1/reviews/")
    recommendations = parameters(openapi, "/api/v1/recommendations/")

    assert set(reviews) == {"q", "review_type", "theme", "audience", "board", "page", "page_size"}
    assert set(recommendations) == {
        "q",
        "review",
        "audience",
        "theme",
        "addressee",
        "status",
        "page",
        "page_size",
    }
    assert set(parameters(openapi, "/api/v1/reviews/{slug}/recommendations/")) == {
        "slug",
        "q",
        "audience",
        "theme",
        "addressee",
        "status",
        "page",
        "page_size",
    }
    assert "jscr" in reviews["review_type"]["schema"]["items"]["enum"]
    assert set(recommendations["status"]["schema"]["items"]["enum"]) == {
        "not_started",
        "in_progress",
        "progressed_in_full",
        "not_known",
    }
    assert set(recommendations["audience"]["schema"]["items"]["enum"]) == {"children", "adults", "both"}
    assert recommendations["q"]["schema"]["maxLength"] == 200
    assert recommendations["theme"]["schema"]["items"]["pattern"]
    # Repeatable, as on the site: ?theme=a&theme=b
    assert recommendations["theme"]["explode"] is True
    for parameter in (*reviews.values(), *recommendations.values()):
        assert parameter["description"], parameter["name"]


def test_errors_are_documented(openapi):
    assert {"200", "400", "404"} <= set(openapi["paths"]["/api/v1/reviews/"]["get"]["responses"])
    assert {"200", "404"} <= set(openapi["paths"]["/api/v1/reviews/{slug}/"]["get"]["responses"])


# Examples per operation: enough to run in seconds; raise it for a deeper local run.
FUZZ_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "40"))

# Loaded from the running application when the tests are collected: the schema view needs no database.
# (schemathesis.pytest.from_fixture would load it lazily, but its subtests do not yet work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
content_schema = schema.exclude(path="/api/v1/concerns/")
concerns_schema = schema.include(path="/api/v1/concerns/")


@pytest.fixture
def connections_kept_open():
    """Keep the test's database connection through each request, as Django's own test client does.

    The WSGI handler closes "old" connections when a request starts and ends; inside the test's
    transaction that would close the connection (on PostgreSQL) and lose the test data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@content_schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_to_its_schema(case, content, connections_kept_open):
    case.call_and_validate()


@pytest.fixture
def api_token(db) -> str:
    from safeguarding.accounts.tokens import api_token_create
    from tests.partnership.factories import AgencyFactory

    return api_token_create(agency=AgencyFactory(slug="fuzz-police"), name="Fuzzing").secret


@concerns_schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_concerns_api_keeps_to_its_schema_and_never_fails(case, api_token, connections_kept_open):
    # With a working token, whatever the body and headers: a documented answer, never a 500.
    # Not checked: that every body the schema allows is accepted. Some rules (a person needs at least
    # one detail; consent and lawful basis must agree; text cannot be only spaces) are not JSON Schema.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_token}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )


def test_the_schema_is_served_as_json_too(client):
    response = client.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Safeguarding Partnership Toolkit API"
