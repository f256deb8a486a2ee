"""A user's roles are read once per request, and a role given or taken away through the user is seen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.partnership.factories import BoardFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return BoardFactory()


def _role_reads(queries) -> int:
    return sum('FROM "accounts_role"' in query["sql"] for query in queries)


def test_roles_are_read_once_for_the_whole_of_a_staff_page(client, board):
    """The gate, every app's menu item, the identity bar and the view's own checks share one read."""
    user = UserFactory(roles=["viewer", "administrator", ("partnership_manager", board)])
    login_verified(client, user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    assert response.status_code == 200
    assert _role_reads(queries.captured_queries) == 1


def test_a_role_given_or_taken_away_through_the_user_is_seen_at_once(board):
    user = UserFactory()
    assert user.held_roles() == ()
    role = Role.objects.create(user=user, kind=Role.Kind.BOARD_MEMBER, board=board)
    assert user.has_role(Role.Kind.BOARD_MEMBER)
    assert not user.has_role(Role.Kind.ADMINISTRATOR)
    role.delete()
    assert not user.has_role(Role.Kind.BOARD_MEMBER)


def test_a_user_object_keeps_what_it_read(board):
    """Another object for the same user (another request) reads afresh; this one keeps its answer."""
    user = UserFactory(viewer=True)
    assert user.has_role(Role.Kind.VIEWER)
    Role.objects.filter(user=user).delete()  # not through this object
    assert user.has_role(Role.Kind.VIEWER)
    assert not type(user).objects.get(pk=user.pk).has_role(Role.Kind.VIEWER)
