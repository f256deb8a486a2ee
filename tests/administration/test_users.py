"""Users and roles on the settings pages: an account made with a link e-mailed to set a password (no
password ever shown or chosen by anyone else), roles given and removed, deactivation, two-step reset;
each change one audited event on the account; bad input answered with a specific message."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Role, User, UserSession
from safeguarding.audit.models import AuditEvent
from tests.accounts.factories import PASSWORD, UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db

NEW = {
    "username": "sam.newstarter",
    "first_name": "Sam",
    "last_name": "Newstarter",
    "email": "Sam.Newstarter@example.org",
    "job_title": "Triage worker",
}
NEW_PASSWORD = "fictional-orange-kettle-staircase"  # nosec B105


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in _page(response).select(".govuk-error-summary__list a")]


def _events(user) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(user.pk)).order_by("sequence")
    )


def test_a_new_user_is_emailed_a_link_and_sets_their_own_password(
    admin_client, administrator, django_capture_on_commit_callbacks
):
    agency = AgencyFactory(name="Testborough Council")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("administration:user_add"), {**NEW, "agency": agency.pk})
    user = User.objects.get(username="sam.newstarter")
    assert response["Location"] == reverse("administration:user_detail", kwargs={"pk": user.pk})
    assert user.email == "sam.newstarter@example.org"
    assert user.agency == agency
    assert not user.has_usable_password()
    assert not user.roles.exists()
    (event,) = _events(user)
    assert event.kind == AuditEvent.Kind.USER_CHANGED
    assert event.actor_id == administrator.pk
    assert event.changes["username"] == [None, "sam.newstarter"]
    assert "password" not in event.changes

    (message,) = mail.outbox
    assert message.to == ["sam.newstarter@example.org"]
    assert "Your username is: sam.newstarter" in message.body
    link = re.search(r"https?://\S+/staff/account/set-password/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    visitor = Client()
    form_page = visitor.get("/" + path, follow=True)
    assert _page(form_page).select_one("h1").get_text() == "Set your password"
    url = form_page.redirect_chain[-1][0]
    bad = visitor.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "something else"})
    assert "The two passwords do not match: type the same password twice" in _errors(bad)
    short = visitor.post(url, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200
    assert _page(short).select(".govuk-error-message")
    done = visitor.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    again = Client().get("/" + path, follow=True)
    assert _page(again).select_one("h1").get_text() == "This link does not work"
    for event in AuditEvent.objects.all():
        assert NEW_PASSWORD not in str(event.changes) + str(event.data) + event.summary


def test_the_detail_page_shows_the_account_and_never_a_password(admin_client):
    user = UserFactory(first_name="Vic", last_name="Viewer", viewer=True)
    page = _page(admin_client.get(reverse("administration:user_detail", kwargs={"pk": user.pk})))
    assert page.select_one("h1").get_text() == "Vic Viewer"
    assert "Viewer" in page.select_one("#roles").get_text()
    text = page.get_text()
    assert "Two-step verification" in text
    assert user.password not in str(page)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": ""}, "Enter a username"),
        ({"username": "ada.admin"}, "That username is taken: choose another"),
        ({"username": "sam newstarter!"}, "A username may have only letters, digits and @ . + - _"),
        ({"email": "not-an-address"}, "Enter an e-mail address in the correct format, like name@example.org"),
        ({"email": "ada.admin@example.org"}, "Another account already uses this e-mail address"),
        ({"first_name": ""}, "Enter their first name"),
        ({"last_name": " "}, "Enter their last name"),
        ({"agency": "12345"}, "Select an agency from the list"),
    ],
)
def test_bad_accounts_get_a_specific_message(admin_client, changes, message):
    response = admin_client.post(reverse("administration:user_add"), {**NEW, **changes})
    assert response.status_code == 400
    assert message in _errors(response)
    assert not User.objects.filter(username="sam.newstarter").exists()
    assert not mail.outbox


def test_changing_details_is_recorded_before_and_after(admin_client):
    user = UserFactory(first_name="Vic", last_name="Viewer", email="vic@example.org")
    url = reverse("administration:user_edit", kwargs={"pk": user.pk})
    data = {"first_name": "Victoria", "last_name": "Viewer", "email": "vic@example.org", "job_title": ""}
    assert admin_client.post(url, data).status_code == 302
    assert _events(user)[-1].changes == {"first_name": ["Vic", "Victoria"]}


def test_giving_and_removing_roles_is_audited_with_the_roles_before_and_after(admin_client, administrator):
    board = BoardFactory(name="Testborough Children's Partnership")
    user = UserFactory()
    url = reverse("administration:role_add", kwargs={"pk": user.pk})
    response = admin_client.post(url, {"kind": "board_member"})
    assert response.status_code == 400
    assert _errors(response) == ["Select the board this role is for"]
    assert admin_client.post(url, {"kind": "board_member", "board": board.pk}).status_code == 302
    role = user.roles.get()
    assert role.board == board
    event = _events(user)[-1]
    assert event.actor_id == administrator.pk
    assert event.changes == {"roles": [[], ["Board member (Testborough Children's Partnership)"]]}
    again = admin_client.post(url, {"kind": "board_member", "board": board.pk})
    assert _errors(again) == [f"{user} already has this role"]

    remove = reverse("administration:role_remove", kwargs={"pk": user.pk, "role_pk": role.pk})
    assert admin_client.post(remove).status_code == 302
    assert not user.roles.exists()
    assert _events(user)[-1].changes == {"roles": [["Board member (Testborough Children's Partnership)"], []]}


def test_a_role_that_needs_an_agency_asks_for_one_and_ignores_a_board(admin_client):
    user = UserFactory()
    agency = AgencyFactory()
    url = reverse("administration:role_add", kwargs={"pk": user.pk})
    assert _errors(admin_client.post(url, {"kind": "agency_lead"})) == ["Select the agency this role is for"]
    assert (
        admin_client.post(
            url, {"kind": "agency_lead", "agency": agency.pk, "board": BoardFactory().pk}
        ).status_code
        == 302
    )
    role = user.roles.get()
    assert (role.agency, role.board) == (agency, None)
    assert _errors(admin_client.post(url, {"kind": "king"})) == ["Select a role"]


def test_an_administrator_cannot_remove_their_own_administrator_role_or_deactivate_themself(
    admin_client, administrator
):
    role = administrator.roles.get(kind=Role.Kind.ADMINISTRATOR)
    response = admin_client.post(
        reverse("administration:role_remove", kwargs={"pk": administrator.pk, "role_pk": role.pk})
    )
    assert response.status_code == 400
    assert "You cannot remove your own administrator role" in response.content.decode()
    response = admin_client.post(reverse("administration:user_active", kwargs={"pk": administrator.pk}))
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_deactivating_signs_the_person_out_at_once_and_reactivating_lets_them_back(admin_client):
    user = UserFactory(viewer=True)
    login_verified(Client(), user)
    assert UserSession.objects.filter(user=user).exists()
    url = reverse("administration:user_active", kwargs={"pk": user.pk})
    assert _page(admin_client.get(url)).select_one("h1").get_text().startswith("Deactivate")
    assert admin_client.post(url).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert _events(user)[-1].changes == {"is_active": [True, False]}
    listed = _page(admin_client.get(reverse("administration:user_list") + "?show=deactivated"))
    assert listed.select_one(f"#user-{user.pk}")
    assert admin_client.post(url).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert _events(user)[-1].changes == {"is_active": [False, True]}


def test_resetting_two_step_removes_the_devices(admin_client):
    user = UserFactory(viewer=True)
    url = reverse("administration:user_two_step_reset", kwargs={"pk": user.pk})
    assert admin_client.post(url).status_code == 302
    assert not user.totpdevice_set.exists()
    assert _events(user)[-1].kind == AuditEvent.Kind.MFA_RESET


def test_a_new_link_can_be_sent_and_is_audited_without_the_link(
    admin_client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="vic@example.org")
    url = reverse("administration:user_password_link", kwargs={"pk": user.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["vic@example.org"]
    event = _events(user)[-1]
    assert event.summary.startswith("Sent")
    assert "set-password" not in str(event.data) + event.summary
    assert PASSWORD not in message.body


def test_a_bad_user_list_filter_is_a_clear_error(admin_client, administrator):
    response = admin_client.get(reverse("administration:user_list") + "?show=<script>")
    assert response.status_code == 400
    assert _errors(response) == ["Select active or deactivated users"]
    assert "<script>" not in response.content.decode()
