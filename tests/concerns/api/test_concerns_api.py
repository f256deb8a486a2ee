"""POST /api/v1/concerns/: agency tokens, exactly once per key, clear errors, never a 500."""

import json

import pytest
from django.test import Client, override_settings

from safeguarding.accounts.tokens import api_token_create, api_token_revoke
from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Concern
from tests.concerns.conftest import CANARY_NAME, CANARY_NARRATIVE, canary_answers, database_text, new_key
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns/"


def referral(**overrides):
    body = canary_answers(
        professional={
            "role": "School nurse",
            "existing_involvement": "Known to school nursing",
            "consent": "not_asked",
            "lawful_basis": "safeguarding",
            "lawful_basis_detail": "Asking could put her at more risk",
        },
    )
    body.update(overrides)
    return body


@pytest.fixture
def agency():
    return AgencyFactory(slug="testborough-police", name="Testborough Police")


@pytest.fixture
def token(agency):
    return api_token_create(agency=agency, name="Police case system")


def send(body, *, token=None, key=None, method="post", content_type="application/json", raw=None):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if key is not False:
        headers["Idempotency-Key"] = key or new_key()
    data = raw if raw is not None else json.dumps(body)
    if method in {"get", "head"}:
        return getattr(Client(), method)(URL, headers=headers)
    return getattr(Client(), method)(URL, data=data, content_type=content_type, headers=headers)


def test_a_concern_is_made_with_the_tokens_agency(token, agency):
    response = send(referral(), token=token.secret)

    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    reference = response.json()["reference"]
    assert set(response.json()) == {"reference"}  # no receipt code: see docs/decisions/0017
    concern = Concern.objects.get(reference=reference)
    assert concern.source == "api"
    assert concern.agency == agency
    assert concern.professional_role == "School nurse"


def test_the_audit_trail_names_the_token_and_agency_without_content(token):
    reference = send(referral(), token=token.secret).json()["reference"]

    event = AuditEvent.objects.get(kind="created", summary=f"Concern {reference} received")
    assert event.actor_label == f"API token {token.token.prefix} of testborough-police"
    assert event.actor_id is None
    assert CANARY_NAME not in json.dumps(event.data) + event.summary


def test_nothing_personal_is_stored_in_plain_text(token):
    send(referral(), token=token.secret)

    text = database_text()
    assert CANARY_NARRATIVE not in text
    assert CANARY_NAME not in text
    assert token.secret not in text


def test_the_same_key_gives_the_same_reference_and_one_concern(token):
    key = new_key()
    first = send(referral(), token=token.secret, key=key)
    again = send(referral(), token=token.secret, key=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Concern.objects.count() == 1


def test_keys_are_private_to_each_agency(token):
    other = api_token_create(agency=AgencyFactory(), name="Health system")
    key = new_key()
    mine = send(referral(), token=token.secret, key=key).json()["reference"]
    theirs = send(referral(), token=other.secret, key=key)

    assert theirs.status_code == 201
    assert theirs.json()["reference"] != mine


def test_another_agencys_id_is_refused(token):
    other = AgencyFactory()
    body = referral()
    body["professional"]["agency_id"] = other.pk

    response = send(body, token=token.secret)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "professional.agency_id"
    assert not Concern.objects.exists()


def test_the_tokens_own_agency_id_is_accepted(token, agency):
    body = referral()
    body["professional"]["agency_id"] = agency.pk

    assert send(body, token=token.secret).status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"narrative": ""}, "narrative"),
        ({"about": "teenager"}, "about"),
        ({"immediate_danger": "yes"}, "immediate_danger"),  # strict: JSON true or false only
        ({"reporter": {"name": "", "contact": "0191 498 0000"}}, "reporter.name"),
        ({"signs": ["not-a-sign"]}, "signs.0"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_answers_are_a_400_naming_the_field(token, change, field):
    response = send(referral(**change), token=token.secret)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in [error["field"] for error in errors], errors
    assert all(error["message"] for error in errors)


def test_professional_block_is_required(token):
    body = referral()
    del body["professional"]

    response = send(body, token=token.secret)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "professional"


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", "null", '{"a": NaN}', "[" * 50000, '"\\ud800"'])
def test_any_body_gives_a_clear_400(token, raw):
    response = send(None, token=token.secret, raw=raw)

    assert response.status_code == 400, response.content
    assert response.json()["errors"]


def test_a_missing_idempotency_key_is_a_400(token):
    response = send(referral(), token=token.secret, key=False)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_body_that_is_not_json_is_a_415(token):
    response = send(None, token=token.secret, raw="narrative=x", content_type="text/plain")

    assert response.status_code == 415


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer sgpt_abcdefgh_wrong"],
)
def test_without_a_working_token_it_is_a_401(token, authorization):
    headers = {"Idempotency-Key": new_key()}
    if authorization:
        headers["Authorization"] = authorization
    response = Client().post(
        URL, data=json.dumps(referral()), content_type="application/json", headers=headers
    )

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Concern.objects.exists()


def test_a_token_with_the_right_prefix_and_a_wrong_secret_is_a_401(token):
    forged = token.secret[:-4] + ("AAAA" if not token.secret.endswith("AAAA") else "BBBB")

    assert send(referral(), token=forged).status_code == 401


def test_a_revoked_token_is_a_401(token):
    api_token_revoke(token=token.token)

    assert send(referral(), token=token.secret).status_code == 401


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options", "head"])
@pytest.mark.parametrize("with_token", [True, False])
def test_other_methods_are_a_405(token, method, with_token):
    response = send(referral(), token=token.secret if with_token else None, method=method)

    assert response.status_code == 405
    assert response["Allow"] == "POST"


@override_settings(RATE_LIMITS={"api_concerns": "2/h"})
def test_over_the_rate_a_token_gets_a_429_and_other_tokens_do_not(token):
    other = api_token_create(agency=AgencyFactory(), name="Health system")
    statuses = [send(referral(), token=token.secret).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    limited = send(referral(), token=token.secret)
    assert limited.json()["detail"]
    assert int(limited["Retry-After"]) > 0
    assert send(referral(), token=other.secret).status_code == 201


def test_a_token_records_when_it_was_last_used(token):
    assert token.token.last_used_at is None

    send(referral(), token=token.secret)

    token.token.refresh_from_db()
    assert token.token.last_used_at is not None


def test_the_read_only_api_needs_no_token(client):
    assert client.get("/api/v1/themes/").status_code == 200


def test_the_example_in_docs_api_md_is_accepted(token):
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    example = text.split("-d '", 1)[1].split("'\n", 1)[0]

    response = send(json.loads(example), token=token.secret)

    assert response.status_code == 201, response.content


def test_errors_carry_only_a_field_and_a_message(token):
    body = referral(narrative="", people=[{"role": "at_risk", "age": 400}])

    errors = send(body, token=token.secret).json()["errors"]

    assert {error["field"] for error in errors} == {"narrative", "people.0.age"}
    assert all(set(error) == {"field", "message"} for error in errors)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # The same rules as /refer/, from the one model of the answers.
        (
            {"professional": {"role": "Nurse", "consent": "given", "lawful_basis": "public_task"}},
            "lawful_basis",
        ),
        ({"reporter": {"anonymous": True, "name": "A Nurse", "contact": "0191 498 0000"}}, "anonymous"),
        ({"reporter": {"name": "A Nurse", "contact": " "}}, "contact"),
        ({"people": [{"role": "at_risk", "date_of_birth": "86400"}]}, "date_of_birth"),
        ({"people": [{"role": "at_risk", "date_of_birth": "2999-01-01"}]}, "date_of_birth"),
        ({"signs": ["missing", "missing"]}, "signs"),
    ],
)
def test_the_referral_rules_hold_for_the_api_too(token, change, field):
    response = send(referral(**change), token=token.secret)

    assert response.status_code == 400
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(name.endswith(field) for name in fields), fields
    assert not Concern.objects.exists()


def test_a_missing_and_a_wrong_token_get_the_same_answer(token):
    missing = send(referral(), token=None)
    wrong = send(referral(), token="sgpt_abcdefgh_wrong")

    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert missing.json() == wrong.json()
    assert missing["WWW-Authenticate"] == wrong["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_body_over_the_limit_is_a_413_naming_the_body(token):
    response = send(None, token=token.secret, raw='{"narrative": "' + "x" * 1_048_576 + '"}')

    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"
    assert not Concern.objects.exists()


def test_a_database_outage_is_a_503_to_retry_with_the_same_key(token, monkeypatch):
    from django.db import OperationalError

    from safeguarding.concerns.api import views

    def unavailable(**kwargs):
        raise OperationalError("the database is restarting")

    monkeypatch.setattr(views, "concern_submit", unavailable)
    response = send(referral(), token=token.secret)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "same Idempotency-Key" in response.json()["detail"]
    assert response["Cache-Control"] == "no-store"
