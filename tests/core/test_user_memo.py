"""What a page works out about its user is kept on the user object, for that object only."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from safeguarding.core.user_memo import user_memo, user_memo_forget


class _User:
    pk = 7


def test_an_answer_is_worked_out_once_per_user_object():
    calls = []
    user = _User()

    def compute():
        calls.append(1)
        return len(calls)

    assert user_memo(user, "k", compute) == 1
    assert user_memo(user, "k", compute) == 1
    assert user_memo(_User(), "k", compute) == 2  # another object (another request) asks afresh
    user_memo_forget(user)
    assert user_memo(user, "k", compute) == 3


def test_the_lazy_request_user_and_the_user_it_stands_for_share_one_memo():
    user = _User()
    lazy = SimpleLazyObject(lambda: user)
    assert user_memo(lazy, "k", lambda: "kept") == "kept"
    assert user_memo(user, "k", lambda: "asked again") == "kept"
    user_memo_forget(lazy)
    assert user_memo(user, "k", lambda: "asked again") == "asked again"


def test_keys_are_separate():
    user = AnonymousUser()
    assert user_memo(user, "a", lambda: 1) == 1
    assert user_memo(user, "b", lambda: 2) == 2
