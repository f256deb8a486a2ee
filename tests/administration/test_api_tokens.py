"""API tokens on the settings pages: made through the token service (shown once, on a page no cache
keeps), listed by prefix only, revoked; both audited without the secret."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from safeguarding.accounts.models import AgencyApiToken
from safeguarding.accounts.tokens import api_token_authenticate, api_token_create
from safeguarding.audit.models import AuditEvent
from tests.partnership.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_a_token_is_shown_once_and_works(admin_client, administrator):
    agency = AgencyFactory(name="Testborough Police")
    response = admin_client.post(
        reverse("administration:api_token_add"), {"agency": agency.pk, "name": "Police case management"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = _page(response).select_one("#token-secret").get_text().strip()
    token = api_token_authenticate(secret)
    assert token is not None
    assert token.agency == agency
    assert token.created_by == administrator
    listing = admin_client.get(reverse("administration:api_token_list")).content.decode()
    assert token.prefix in listing
    assert secret not in listing
    for event in AuditEvent.objects.all():
        assert secret not in event.summary + str(event.data) + str(event.changes)
    event = AuditEvent.objects.filter(target_type="accounts.agencyapitoken", target_id=str(token.pk)).get()
    assert event.actor_id == administrator.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Police case management"}, "Select the agency"),
        ({"agency": "999999", "name": "Police case management"}, "Select an agency from the list"),
        ({"agency": "first", "name": "x"}, "Select an agency from the list"),
        ({"agency": "AGENCY", "name": ""}, "Enter the name of the system that will use the token"),
    ],
)
def test_bad_tokens_get_a_specific_message(admin_client, data, message):
    agency = AgencyFactory()
    data = {k: (str(agency.pk) if v == "AGENCY" else v) for k, v in data.items()}
    response = admin_client.post(reverse("administration:api_token_add"), data)
    assert response.status_code == 400
    assert message in [a.get_text(strip=True) for a in _page(response).select(".govuk-error-summary__list a")]
    assert not AgencyApiToken.objects.exists()


def test_revoking_stops_the_token_at_once(admin_client, administrator):
    created = api_token_create(agency=AgencyFactory(), name="Fictional case system")
    url = reverse("administration:api_token_revoke", kwargs={"pk": created.token.pk})
    assert created.token.prefix in _page(admin_client.get(url)).get_text()
    assert admin_client.post(url).status_code == 302
    assert api_token_authenticate(created.secret) is None
    created.token.refresh_from_db()
    assert created.token.revoked_by == administrator
    assert admin_client.get(url).status_code == 404  # a revoked token cannot be revoked again
