"""The staff layout: who is signed in, a Sign out button that POSTs, and the staff navigation."""

import pytest

from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.staff import login_unverified, login_verified

pytestmark = pytest.mark.django_db


def test_staff_pages_show_the_signed_in_user_and_a_sign_out_button(client):
    user = UserFactory(first_name="Priya", last_name="Example", viewer=True)
    login_verified(client, user)
    page = html(client.get("/staff/account/logout/"))
    assert "Signed in as Priya Example" in page.select_one("header").get_text(" ", strip=True)
    form = page.select_one("header form")
    assert form["method"] == "post"
    assert form["action"] == "/staff/account/logout/"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.button.get_text(strip=True) == "Sign out"
    assert page.select_one("nav[aria-label=Staff]")
    assert not page.find("a", string="Settings")
    assert len(page.select("h1")) == 1


def test_administrators_see_a_link_to_the_settings(client):
    login_verified(client, UserFactory(administrator=True))
    page = html(client.get("/staff/account/logout/"))
    assert page.find("a", string="Settings")["href"] == "/staff/settings/"


def test_half_signed_in_people_see_no_staff_navigation(client):
    login_unverified(client, UserFactory(viewer=True))
    page = html(client.get("/staff/account/two-step/"))
    assert not page.select_one("nav[aria-label=Staff]")
    assert page.select_one("header form button").get_text(strip=True) == "Sign out"
    assert page.title.get_text().startswith("Enter your security code \N{EN DASH} Staff \N{EN DASH} ")
