"""Demo data: a fictional training review in every state, demo accounts, and the commands around it."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Role, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from safeguarding.demo.services import DEMO_ACCOUNTS, DEMO_REVIEW_SLUG, demo_load
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.tracker import services
from safeguarding.tracker.models import Action, Evidence, ProgressNote, Rag, SignOff
from safeguarding.tracker.rag import action_rag
from tests.accounts.factories import TOTPDeviceFactory, UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory

TODAY = datetime.date(2026, 11, 30)
MODELS = (Review, Recommendation, Action, Evidence, ProgressNote, SignOff, User, Role, Board, Agency)
PASSWORD_LINE = re.compile(r"^  (demo-[a-z-]+) +.+? {2}([A-Za-z0-9]{20})$", re.MULTILINE)


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _rows() -> dict[str, list[int]]:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def _can_sign_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/staff/account/login/")
    return authenticate(request, username=username, password=password) is not None


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Europe/London")), tick=True
    ):
        yield


@pytest.fixture
def review(db):
    demo_load()
    return Review.objects.get(slug=DEMO_REVIEW_SLUG)


@pytest.mark.django_db
def test_loading_twice_gives_the_same_rows_and_prints_passwords_only_the_first_time():
    first = _load()
    rows = _rows()
    audit_rows = AuditEvent.objects.count()
    second = _load()

    assert _rows() == rows
    assert AuditEvent.objects.count() == audit_rows  # nothing created, nothing recorded
    printed = dict(PASSWORD_LINE.findall(first))
    assert set(printed) == {account.username for account in DEMO_ACCOUNTS}
    assert all(_can_sign_in(username, password) for username, password in printed.items())
    assert PASSWORD_LINE.findall(second) == []
    assert "not shown again" in second
    assert not any(password in second for password in printed.values())


@pytest.mark.django_db
def test_passwords_are_stored_only_as_hashes_and_never_logged(caplog):
    with caplog.at_level("DEBUG"):
        printed = dict(PASSWORD_LINE.findall(_load()))

    for username, password in printed.items():
        stored = User.objects.get(username=username).password
        assert password not in stored
        assert stored.startswith("md5$")  # the test settings' hasher: a hash, not the password
        assert password not in caplog.text
    assert not AuditEvent.objects.filter(summary__contains=next(iter(printed.values()))).exists()


@pytest.mark.django_db
def test_reset_passwords_gives_new_working_passwords_and_prints_them():
    old = dict(PASSWORD_LINE.findall(_load()))
    new = dict(PASSWORD_LINE.findall(_load("--reset-passwords")))

    assert set(new) == set(old)
    assert all(new[name] != old[name] for name in new)
    assert all(_can_sign_in(name, password) for name, password in new.items())
    assert not any(_can_sign_in(name, password) for name, password in old.items())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [{"SETTINGS_MODULE": "config.settings.production"}, {"DEMO_DATA_ALLOWED": False}],
    ids=["production settings", "DEMO_DATA_ALLOWED False"],
)
def test_it_refuses_to_run_where_demo_data_is_not_allowed(overrides):
    with override_settings(**overrides), pytest.raises(CommandError, match="not allowed"):
        _load()

    assert not Review.objects.exists()
    assert not User.objects.exists()


def test_the_review_is_fictional_and_labelled_as_a_training_example(review):
    assert review.is_demo
    assert "Training example" in review.title
    assert "Training example" in review.short_title
    assert {u.email.rsplit("@", 1)[1] for u in User.objects.all()} == {"example.org"}


def test_every_action_status_and_each_rag_value_is_present(review):
    actions = Action.objects.filter(recommendation__review=review).prefetch_related("evidence")

    assert {a.status for a in actions} == set(Action.Status.values)
    rags = {action_rag(a, today=TODAY).rag for a in actions}
    assert rags == {Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE}
    assert any(action_rag(a, today=TODAY).is_override for a in actions)
    reasons = {action_rag(a, today=TODAY).reason for a in actions}
    assert "Overdue." in reasons
    assert "Marked done, but some evidence is not yet accepted." in reasons


def test_evidence_of_every_kind_and_state_including_a_stored_file(review):
    evidence = Evidence.objects.filter(action__recommendation__review=review)

    assert {e.kind for e in evidence} == set(Evidence.Kind.values)
    assert {e.state for e in evidence} == set(Evidence.State.values)
    assert all(e.return_reason for e in evidence if e.state == Evidence.State.RETURNED)
    item = evidence.get(kind=Evidence.Kind.FILE)
    assert item.file.storage.exists(item.file.name)
    assert item.file.name != "evidence/referral-audit.txt"  # stored under a random name
    with item.file.storage.open(item.file.name) as handle:
        assert b"Training example" in handle.read()
    assert ProgressNote.objects.filter(action__recommendation__review=review).count() >= 5


def test_one_joint_recommendation_signed_off_by_one_board_only(review):
    joint = [r for r in review.recommendations.all() if r.boards.count() == 2]

    assert len(joint) == 1
    sign_offs = SignOff.objects.filter(recommendation=joint[0])
    assert sign_offs.count() == 1
    assert sign_offs.get().board in joint[0].boards.all()
    assert len(sign_offs.get().snapshot_hash) == 64


def test_the_other_board_can_sign_the_joint_recommendation_off_in_the_demo(review):
    joint = SignOff.objects.get(recommendation__review__slug=DEMO_REVIEW_SLUG).recommendation
    assert joint.public_status != Recommendation.PublicStatus.PROGRESSED_IN_FULL
    member = User.objects.get(username="demo-member-adults")

    services.sign_off_record(
        recommendation=joint,
        board=member.roles.get().board,
        meeting_date=TODAY,
        minute_reference="Training example, item 3",
        decision=SignOff.Decision.PROGRESSED_IN_FULL,
        by=member,
    )

    joint.refresh_from_db()
    assert joint.public_status == Recommendation.PublicStatus.PROGRESSED_IN_FULL


def test_an_account_for_every_role_with_the_partnerships_boards(review):
    roles = Role.objects.filter(user__username__startswith="demo-")

    assert {r.kind for r in roles} == set(Role.Kind.values)
    for kind in (Role.Kind.PARTNERSHIP_MANAGER, Role.Kind.BOARD_MEMBER):
        assert {r.board.kind for r in roles.filter(kind=kind)} == {Board.Kind.CHILDREN, Board.Kind.ADULTS}
    assert roles.filter(kind=Role.Kind.AGENCY_LEAD).values("agency").distinct().count() == 2
    assert not TOTPDevice.objects.exists()  # they set up two-step verification at first sign-in


@pytest.mark.django_db
def test_it_credits_the_training_review_to_fictional_boards_never_the_partnerships_own():
    """Issue 11: with demo data loaded, the fictional review was credited to the real boards."""
    children = BoardFactory(kind=Board.Kind.CHILDREN, short_name="NSCP")
    adults = BoardFactory(kind=Board.Kind.ADULTS, short_name="NSAB")
    police = AgencyFactory(sector=Agency.Sector.POLICE)

    demo_load()

    boards = set(Review.objects.get(slug=DEMO_REVIEW_SLUG).boards.all())
    assert {b.short_name for b in boards} == {"TSCP", "TSAB"}
    assert not boards & {children, adults}
    assert Action.objects.filter(owner_agency=police).exists()


@pytest.mark.django_db
def test_creations_are_recorded_in_the_audit_trail_on_their_recommendation(review):
    joint = SignOff.objects.get(recommendation__review__slug=DEMO_REVIEW_SLUG).recommendation

    history = AuditEvent.objects.filter(subject_type="reviews.recommendation", subject_id=str(joint.pk))
    assert history.filter(kind=AuditEvent.Kind.CREATED, target_type="tracker.action").count() == 2
    assert history.filter(target_type="tracker.signoff").exists()
    assert audit_verify().ok


# --- demo_totp -------------------------------------------------------------------------------------
def _totp(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("demo_totp", username, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_demo_totp_prints_the_code_the_demo_accounts_authenticator_would_show(review):
    user = User.objects.get(username="demo-lead-police")
    device = TOTPDeviceFactory(user=user, confirmed=False)

    code = _totp("demo-lead-police")

    assert re.fullmatch(r"\d{6}", code)
    assert device.verify_token(code)


def test_demo_totp_refuses_an_account_that_is_not_a_demo_account(review):
    UserFactory(username="real-person")  # with a confirmed authenticator app

    with pytest.raises(CommandError, match="not a demo account"):
        _totp("real-person")


def test_demo_totp_refuses_a_demo_username_whose_email_was_changed(review):
    User.objects.filter(username="demo-admin").update(email="someone@partnership.example")
    TOTPDeviceFactory(user=User.objects.get(username="demo-admin"))

    with pytest.raises(CommandError, match="not a demo account"):
        _totp("demo-admin")


def test_demo_totp_refuses_under_production_settings(review):
    TOTPDeviceFactory(user=User.objects.get(username="demo-admin"))

    with override_settings(SETTINGS_MODULE="config.settings.production"), pytest.raises(CommandError):
        _totp("demo-admin")


def test_demo_totp_says_what_to_do_before_an_authenticator_is_being_set_up(review):
    with pytest.raises(CommandError, match="no authenticator yet"):
        _totp("demo-viewer")


def test_the_code_matches_an_independent_totp_computation(review):
    device = TOTPDeviceFactory(user=User.objects.get(username="demo-viewer"))
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)

    code = _totp("demo-viewer")

    # The 30-second step may tick over between the two computations, so accept this step or the last.
    nearby = set()
    for drift in (-1, 0):
        totp.drift = drift
        nearby.add(f"{totp.token():06d}")
    assert code in nearby


def test_every_demo_account_can_open_the_demo_on_the_staff_pages_without_an_error(review, client):
    from tests.staff import login_verified

    urls = [reverse("tracker:dashboard"), reverse("tracker:recommendation_list")]
    urls += [
        reverse("tracker:recommendation_detail", kwargs={"pk": r.pk}) for r in review.recommendations.all()
    ]
    urls += [
        reverse("tracker:action_detail", kwargs={"pk": pk})
        for pk in Action.objects.values_list("pk", flat=True)
    ]
    statuses = {}
    for account in DEMO_ACCOUNTS:
        login_verified(client, User.objects.get(username=account.username))
        for url in urls:
            statuses[account.username, url] = client.get(url).status_code
        client.logout()

    # The triage worker and the analyst have no part in the tracker: the dashboard sends them on.
    triage = [
        a.username
        for a in DEMO_ACCOUNTS
        if a.role in {Role.Kind.TRIAGE_WORKER, Role.Kind.EXPLOITATION_ANALYST}
    ]
    assert [statuses.pop((username, urls[0])) for username in triage] == [302] * len(triage)
    assert set(statuses.values()) <= {200, 403, 404}
    assert all(statuses["demo-admin", url] == 200 for url in urls)
    assert all(statuses["demo-lead-police", url] == 200 for url in urls[:2])


@pytest.mark.django_db
def test_the_demo_has_a_linked_network_with_an_alert_for_the_demo_analyst(client):
    from safeguarding.demo.linking import demo_network_concerns
    from safeguarding.linking.models import Alert, Network
    from tests.staff import login_verified

    demo_load()
    concerns = list(demo_network_concerns())
    assert len(concerns) == 5
    assert all(c.narrative.startswith("Training example") for c in concerns)
    [network] = Network.objects.filter(active=True, members__concern__in=concerns).distinct()
    assert network.members.count() == 5
    assert Alert.objects.filter(network=network).count() == 1
    assert demo_load().created.get("linked demo concern") is None  # run again: nothing more
    analyst = User.objects.get(username="demo-analyst")
    login_verified(client, analyst)
    assert client.get(f"/staff/networks/{network.pk}/").status_code == 200
