"""A triage worker works their teams' queues and sees nothing of the implementation tracker."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD
from tests.concerns.factories import ConcernFactory, TeamMemberFactory
from tests.staff import login_verified
from tests.tracker.conftest import world  # noqa: F401  (the tracker's fixture: a recommendation with actions)

pytestmark = pytest.mark.django_db


@pytest.fixture
def triage_worker():
    return TeamMemberFactory(teams=["adult-social-care"], triage_worker=True, username="tia.triage")


@pytest.mark.usefixtures("world")
def test_a_triage_worker_sees_their_queue_and_no_tracker_data(triage_worker):
    submitted = ConcernFactory(about="adult")
    client = login_verified(Client(), triage_worker)

    queue = client.get(reverse("concerns:team_queue", kwargs={"slug": "adult-social-care"}))
    assert queue.status_code == 200
    assert submitted.reference in queue.content.decode()

    recommendations = client.get(reverse("tracker:recommendation_list"))
    assert recommendations.status_code == 200
    assert "Share what agencies know about exploitation" not in recommendations.content.decode()
    export = client.get(reverse("tracker:export_actions_csv"))
    rows = b"".join(export.streaming_content).decode().strip().splitlines()
    assert len(rows) == 1  # the header alone


def test_a_triage_worker_lands_on_their_queues_after_signing_in(triage_worker):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.post(reverse("accounts:login"), {"username": "tia.triage", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=triage_worker)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = client.post(reverse("accounts:verify"), {"code": f"{code:0{device.digits}d}"})
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:team_list")
