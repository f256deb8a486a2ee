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


def test_a_triage_worker_sees_their_queue_and_no_tracker_data(triage_worker, world):  # noqa: F811
    submitted = ConcernFactory(about="adult")
    client = login_verified(Client(), triage_worker)

    queue = client.get(reverse("concerns:team_queue", kwargs={"slug": "adult-social-care"}))
    assert queue.status_code == 200
    assert submitted.reference in queue.content.decode()

    # No part in the tracker: its pages, reports and exports are not there for them (issue 10, finding 9).
    for name, kwargs in [
        ("tracker:recommendation_list", {}),
        ("tracker:export_actions_csv", {}),
        ("tracker:export_actions_xlsx", {}),
        ("tracker:dashboard_board", {"board_id": world.board_a.pk}),
        ("tracker:board_report_pdf", {"board_id": world.board_a.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    assert client.get(reverse("tracker:dashboard"))["Location"] == reverse("concerns:team_list")


def test_a_triage_worker_lands_on_their_queues_after_signing_in(triage_worker):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.post(reverse("accounts:login"), {"username": "tia.triage", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=triage_worker)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = client.post(reverse("accounts:verify"), {"code": f"{code:0{device.digits}d}"})
    assert response.status_code == 302
    # Their home (workspace), which shows their teams' queues with counts.
    assert response["Location"] == reverse("workspace:home")
