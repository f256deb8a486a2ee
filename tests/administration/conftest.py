"""Signed-in clients for the settings pages: an administrator, and people who are not one."""

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.staff import login_verified


@pytest.fixture
def administrator(db):
    return UserFactory(administrator=True, first_name="Ada", last_name="Admin", username="ada.admin")


@pytest.fixture
def admin_client(administrator) -> Client:
    return login_verified(Client(), administrator)
