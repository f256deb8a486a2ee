"""The public page cache: what it keeps, what it never keeps, and when it lets go."""

import pickle

import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from safeguarding.core import page_cache
from safeguarding.core.page_cache import content_changed, content_changed_on_commit, public_page

factory = RequestFactory()


class Counter:
    """A view that counts how often it renders, so a test can tell a cached answer from a fresh one."""

    def __init__(self, body: str = "A public page", **response: object) -> None:
        self.calls = 0
        self.body = body
        self.response = response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.calls += 1
        return HttpResponse(f"{self.body} {self.calls}", **self.response)  # type: ignore[arg-type]


def _get(view, path: str = "/page/", **extra) -> HttpResponse:
    return view(factory.get(path, **extra))


def test_a_page_is_rendered_once_and_then_served_from_memory():
    view = public_page()(Counter())
    first, second = _get(view), _get(view)
    assert first.content == second.content == b"A public page 1"
    assert view.__wrapped__.calls == 1


def test_headers_the_view_set_are_kept():
    view = public_page()(
        Counter(content_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"})
    )
    _get(view)
    cached = _get(view)
    assert cached["Content-Type"] == "text/plain; charset=utf-8"
    assert cached["Cache-Control"] == "no-store"


def test_each_address_and_query_is_its_own_page():
    view = public_page()(Counter())
    _get(view, "/a/"), _get(view, "/b/"), _get(view, "/a/?theme=1"), _get(view, "/a/")
    assert view.__wrapped__.calls == 3


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_always_gets_a_fresh_page(cookie):
    view = public_page()(Counter())
    _get(view)
    request = factory.get("/page/")
    request.COOKIES[cookie] = "something"
    assert view(request).content == b"A public page 2"


def test_a_search_is_never_cached_and_its_words_never_reach_the_cache():
    view = public_page(private_parameters=["q"])(Counter("Results for Zephyrine Quillbrook"))
    _get(view, "/reviews/?q=Zephyrine+Quillbrook")
    _get(view, "/reviews/?q=Zephyrine+Quillbrook")
    assert view.__wrapped__.calls == 2
    stored = b"".join(pickle.dumps(value) for value in page_cache._local.store().values())
    assert b"Zephyrine" not in stored
    # An empty search box is no search: that page is the plain list, and is cached.
    _get(view, "/reviews/?q="), _get(view, "/reviews/?q=")
    assert view.__wrapped__.calls == 3


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_and_head_are_cached(method):
    view = public_page()(Counter())
    view(getattr(factory, method)("/page/"))
    view(getattr(factory, method)("/page/"))
    assert view.__wrapped__.calls == 2


@pytest.mark.parametrize("status", [301, 404, 500, 503])
def test_only_a_200_is_kept(status):
    view = public_page()(Counter(status=status))
    _get(view), _get(view)
    assert view.__wrapped__.calls == 2


def test_a_page_that_sets_a_cookie_is_not_kept():
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("hello")
        response.set_cookie("chosen", "1")
        return response

    cached = public_page()(view)
    _get(cached)
    assert len(page_cache._local.store()) == 0


def test_a_page_with_a_csrf_token_is_not_kept():
    calls = []

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    cached = public_page()(view)
    _get(cached), _get(cached)
    assert len(calls) == 2


def test_a_page_that_read_the_session_is_not_kept():
    from django.contrib.sessions.backends.db import SessionStore

    calls = []

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse(f"Hello {request.session.get('name', 'visitor')}")

    cached = public_page()(view)
    for _ in range(2):
        request = factory.get("/page/")
        request.session = SessionStore()
        cached(request)
    assert len(calls) == 2


def test_content_changed_drops_every_cached_page():
    view = public_page()(Counter())
    _get(view)
    content_changed()
    assert _get(view).content == b"A public page 2"


def test_a_change_in_a_transaction_invalidates_at_once_and_again_when_it_commits(
    db, django_capture_on_commit_callbacks
):
    view = public_page()(Counter())
    _get(view)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        content_changed_on_commit()
        # Rendered between the change and the commit: it may show the old rows...
        assert _get(view).content == b"A public page 2"
        content_changed_on_commit()  # a second change in the same transaction schedules nothing more
        assert _get(view).content == b"A public page 3"
    assert len(callbacks) == 1
    callbacks[0]()  # the commit
    # ...so the commit drops it too.
    assert _get(view).content == b"A public page 4"


def test_an_unreachable_shared_cache_means_fresh_pages_not_an_error(monkeypatch):
    view = public_page()(Counter())
    _get(view)

    def broken(*args, **kwargs):
        raise ConnectionError("Redis has gone away")

    monkeypatch.setattr(caches["default"], "get", broken)
    assert _get(view).content == b"A public page 2"
    assert _get(view).content == b"A public page 3"


def test_the_page_cache_can_be_turned_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    view = public_page()(Counter())
    _get(view), _get(view)
    assert view.__wrapped__.calls == 2


def test_a_process_asks_for_the_version_at_most_once_a_period(settings, monkeypatch):
    settings.PAGE_CACHE_VERSION_SECONDS = 60
    view = public_page()(Counter())
    _get(view)
    reads = []
    real_get = caches["default"].get
    monkeypatch.setattr(caches["default"], "get", lambda *a, **k: reads.append(a) or real_get(*a, **k))
    for _ in range(5):
        _get(view)
    assert reads == []
    assert view.__wrapped__.calls == 1
    # A change made in this process is seen at once, whatever the period.
    content_changed()
    assert _get(view).content == b"A public page 2"
    assert page_cache.VERSION_KEY in [args[0] for args in reads]
