"""Agency API tokens: made with the secret shown once, stored only as a keyed hash, revoked, audited."""

import io

import pytest
from django.core.management import CommandError, call_command

from safeguarding.accounts.models import AgencyApiToken
from safeguarding.accounts.tokens import (
    HASH_PURPOSE,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from safeguarding.audit.models import AuditEvent
from safeguarding.core.crypto import blind_index
from tests.accounts.factories import UserFactory
from tests.concerns.conftest import database_text
from tests.conftest import html
from tests.partnership.factories import AgencyFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db
ADMIN = "/staff/admin/accounts/agencyapitoken/"


@pytest.fixture
def agency():
    return AgencyFactory(slug="testborough-police", name="Testborough Police")


def test_a_token_is_stored_only_as_a_keyed_hash(agency):
    created = api_token_create(agency=agency, name="Police case system")

    token = AgencyApiToken.objects.get()
    assert created.secret.startswith(f"sgpt_{token.prefix}_")
    assert len(created.secret) > 40
    assert token.secret_hash == blind_index(created.secret, purpose=HASH_PURPOSE)
    assert created.secret.split("_", 2)[2] not in database_text()


def test_two_tokens_differ(agency):
    first = api_token_create(agency=agency, name="One")
    second = api_token_create(agency=agency, name="Two")

    assert first.secret != second.secret
    assert first.token.prefix != second.token.prefix


def test_a_token_authenticates_and_nothing_else_does(agency):
    created = api_token_create(agency=agency, name="Police case system")
    other = api_token_create(agency=AgencyFactory(), name="Other")

    assert api_token_authenticate(created.secret) == created.token
    # The right prefix with another token's secret, or a changed secret, does not.
    assert api_token_authenticate(f"sgpt_{created.token.prefix}_{other.secret.split('_', 2)[2]}") is None
    assert api_token_authenticate(created.secret[:-1] + ("x" if created.secret[-1] != "x" else "y")) is None
    for junk in [
        "",
        "sgpt_",
        "sgpt_abc_def",
        "Bearer",
        "x" * 5000,
        "sgpt_\x00\x00\x00\x00\x00\x00\x00\x00_a",
        None,
        42,
    ]:
        assert api_token_authenticate(junk) is None


def test_creation_and_revocation_are_audited_without_the_secret(agency):
    admin = UserFactory(is_superuser=True)
    created = api_token_create(agency=agency, name="Police case system", by=admin)
    api_token_revoke(token=created.token, by=admin)

    events = list(AuditEvent.objects.filter(target_type="accounts.agencyapitoken").order_by("sequence"))
    assert [e.kind for e in events] == ["created", "updated"]
    assert events[0].summary == f"API token {created.token.prefix} created for Testborough Police"
    assert "revoked" in events[1].summary
    assert all(e.actor_id == admin.pk for e in events)
    for event in events:
        assert created.secret not in f"{event.summary}{event.data}{event.changes}"


def test_a_revoked_token_stops_working_and_revoking_twice_is_harmless(agency):
    created = api_token_create(agency=agency, name="Police case system")

    assert api_token_revoke(token=created.token) is True
    assert api_token_revoke(token=created.token) is False
    assert api_token_authenticate(created.secret) is None
    assert created.token.revoked_at is not None
    assert AuditEvent.objects.filter(kind="updated", target_type="accounts.agencyapitoken").count() == 1


def test_the_command_prints_the_token_once_and_stores_its_hash(agency):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token_create",
        "--agency",
        "testborough-police",
        "--name",
        "Police case system",
        stdout=out,
        stderr=err,
    )

    secret = out.getvalue().strip()
    assert api_token_authenticate(secret).agency == agency
    assert secret not in err.getvalue()
    assert "shown once" in err.getvalue()
    assert AuditEvent.objects.filter(kind="created", target_type="accounts.agencyapitoken").exists()


def test_the_command_refuses_an_unknown_agency():
    with pytest.raises(CommandError, match="No agency"):
        call_command("api_token_create", "--agency", "nowhere", "--name", "x", stdout=io.StringIO())


def test_the_revoke_command(agency):
    created = api_token_create(agency=agency, name="Police case system")
    out = io.StringIO()

    call_command("api_token_revoke", created.token.prefix, stdout=out)

    assert "Revoked" in out.getvalue()
    assert api_token_authenticate(created.secret) is None


def _admin_post(client, url, data):
    token = html(client.get(url)).select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post(url, {"csrfmiddlewaretoken": token, **data})


def test_a_superuser_makes_a_token_in_the_admin_and_sees_it_once(client, agency):
    admin = UserFactory(is_superuser=True)
    login_verified(client, admin)

    response = _admin_post(client, f"{ADMIN}add/", {"agency": agency.pk, "name": "Police case system"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = html(response).select_one("#api-token-secret")["value"]
    token = api_token_authenticate(secret)
    assert token is not None
    assert token.agency == agency
    assert token.created_by == admin
    assert AuditEvent.objects.filter(
        kind="created", target_type="accounts.agencyapitoken", actor_id=admin.pk
    ).exists()
    # Never again: not on the list, not on the token's page.
    assert secret not in client.get(ADMIN).content.decode()
    assert secret not in client.get(f"{ADMIN}{token.pk}/change/").content.decode()


def test_a_superuser_revokes_tokens_with_the_action_and_cannot_delete_them(client, agency):
    login_verified(client, UserFactory(is_superuser=True))
    created = api_token_create(agency=agency, name="Police case system")

    _admin_post(client, ADMIN, {"action": "revoke", "_selected_action": [created.token.pk]})

    assert api_token_authenticate(created.secret) is None
    assert client.get(f"{ADMIN}{created.token.pk}/delete/").status_code == 403
