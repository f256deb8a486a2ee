"""Public pages, and pieces of them, kept in each server process's memory until content changes
(docs/decisions/0021).

`@public_page` on a view of public content (a review, the help page) serves a page rendered before
when nothing it shows can have changed since. A page is shared between visitors, so it is kept only
when it cannot differ between them or hold anything of theirs:
- the request is a GET or HEAD from a visitor without a session or flash-message cookie (a signed-in
  member of staff, or someone part-way through a report, always gets a fresh page);
- the request has none of the view's `private_parameters` (search words may be personal data, so a
  search is never kept);
- the response is a 200 that sets no cookie, and the view neither read the session nor put a CSRF
  token in the page.
`content_memo` keeps anything else derived from public content alone (filter choices, a rendered
search result, the partnership), and `{% content_fragment %}` (core/templatetags/page_cache.py) a
piece of a template, such as the header.

Content version. The shared cache ("default": Redis in production, the database locally) holds one
random token, the content version, which every kept value's key includes. `content_changed()` puts a
new token there: the apps that own public content call it from their model signals, at each change and
again when the transaction commits. Each process re-reads the token at most every
PAGE_CACHE_VERSION_SECONDS, so a change shows everywhere within that time (1 second by default). If
the shared cache cannot be read, everything is computed afresh, never served stale.

What is kept lives in a cachetools TTLCache in each process (PAGE_CACHE_ENTRIES values at most, each
for PAGE_CACHE_SECONDS at most), as the objects themselves: nothing is pickled or leaves the process.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from cachetools import TTLCache
from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

T = TypeVar("T")

VERSION_KEY = "core.page_cache.content_version"
_MESSAGES_COOKIE = "messages"
_MISSING = object()


class _Local:
    """This process's kept values, and the content version they belong to."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: str | None = None
        self.read_at = float("-inf")
        self.values: TTLCache[str, Any] | None = None

    def store(self) -> TTLCache[str, Any]:
        if self.values is None:
            self.values = TTLCache(maxsize=settings.PAGE_CACHE_ENTRIES, ttl=settings.PAGE_CACHE_SECONDS)
        return self.values

    def clear(self) -> None:
        with self.lock:
            self.store().clear()


_local = _Local()


def local_clear() -> None:
    """Forget everything this process keeps (tests start from nothing)."""
    _local.clear()


def content_version() -> str | None:
    """The content version this process serves for; None if the page cache is off or the shared cache
    is unreachable."""
    if not settings.PAGE_CACHE_SECONDS:
        return None
    now = time.monotonic()
    with _local.lock:
        if _local.version is not None and now - _local.read_at < settings.PAGE_CACHE_VERSION_SECONDS:
            return _local.version
    shared = caches["default"]
    try:
        version = shared.get(VERSION_KEY)
        if version is None:
            # First use, or the shared cache was emptied: start a version nothing kept belongs to.
            shared.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = shared.get(VERSION_KEY)
    except Exception:
        logger.warning("Content version not read: public pages are rendered afresh", exc_info=True)
        return None
    with _local.lock:
        if version != _local.version:
            _local.store().clear()  # values of older versions can never be used again
        _local.version, _local.read_at = version, now
    return cast(str | None, version)


def content_changed() -> None:
    """Say that content shown on public pages has changed: every process drops what it keeps."""
    try:
        caches["default"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.error("Content version not changed: kept public pages may be out of date", exc_info=True)
    with _local.lock:
        _local.read_at = float("-inf")  # this process reads the new version at its next request


class _ChangedOnCommit:
    """The on-commit call of `content_changed`, recognisable so it is scheduled once a transaction."""

    def __call__(self) -> None:
        content_changed()


def content_changed_on_commit() -> None:
    """For model signals: invalidate now, so the change shows at once to whoever can see it (the
    transaction's own connection), and again when the transaction commits, so that nothing rendered
    from the old rows in between is kept. The commit's invalidation is scheduled once a transaction."""
    content_changed()
    # Each entry is (savepoint ids, callback, robust); the callback is second whatever else it holds.
    if not any(isinstance(entry[1], _ChangedOnCommit) for entry in connection.run_on_commit):
        transaction.on_commit(_ChangedOnCommit())


def _model_changed(**kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures, not edits
    content_changed_on_commit()


def content_models_watch(app_config: AppConfig) -> None:
    """Invalidate on any save, delete or many-to-many change of the app's models: for the apps whose
    models public pages show (call from the app's `ready`)."""
    for model in app_config.get_models(include_auto_created=True):
        label = model._meta.label_lower
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"page_cache.{label}.saved")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"page_cache.{label}.deleted")
        m2m_changed.connect(_model_changed, sender=model, dispatch_uid=f"page_cache.{label}.m2m")


def _kept_get_many(version: str, keys: list[str]) -> dict[str, Any]:
    with _local.lock:
        store = _local.store()
        found = {key: store.get(f"{version}:{key}", _MISSING) for key in keys}
    return {key: value for key, value in found.items() if value is not _MISSING}


def _kept_set_many(version: str, values: dict[str, Any]) -> None:
    with _local.lock:
        if version != _local.version:
            return  # computed for a version this process has moved on from
        store = _local.store()
        for key, value in values.items():
            store[f"{version}:{key}"] = value


def content_memo(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in this process while the content version holds. Only for values derived from
    public content alone, never from what a visitor sent; and the value must not be changed by callers,
    since every request gets the same object."""
    version = content_version()
    if version is None:
        return compute()
    found = _kept_get_many(version, [key])
    if key in found:
        return cast(T, found[key])
    value = compute()
    _kept_set_many(version, {key: value})
    return value


def content_memo_many(keys: list[str], compute_missing: Callable[[list[str]], dict[str, T]]) -> dict[str, T]:
    """Like `content_memo` for several values at once: `compute_missing(keys)` is called once, with
    the keys not yet kept, and returns a value for each of them."""
    version = content_version()
    if version is None:
        return compute_missing(keys)
    found = _kept_get_many(version, keys)
    missing = [key for key in keys if key not in found]
    if missing:
        computed = compute_missing(missing)
        _kept_set_many(version, computed)
        found.update(computed)
    return cast(dict[str, T], found)


def _cacheable_request(request: HttpRequest, private_parameters: Iterable[str]) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or _MESSAGES_COOKIE in request.COOKIES:
        return False
    return not any(request.GET.get(name) for name in private_parameters)


def _render_watching_the_session(
    view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any
) -> tuple[HttpResponse, bool]:
    """The view's response, and whether the view itself read the session (middleware before it may
    have looked, for example for a signed-in user; that says nothing about the page)."""
    session = getattr(request, "session", None)
    if session is None:
        return view(request, *args, **kwargs), False
    accessed_before, session.accessed = session.accessed, False
    try:
        response = view(request, *args, **kwargs)
        read = session.accessed
    finally:
        session.accessed = session.accessed or accessed_before
    return response, read


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _page_key(request: HttpRequest) -> str:
    # Hashed: a long query string must not make a long key. The address holds no personal data (the
    # private parameters never reach here).
    page = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"page:{page}"


def public_page(
    *, private_parameters: Iterable[str] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the view's page from this process's memory while the content version holds."""
    private = tuple(private_parameters)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            version = content_version() if _cacheable_request(request, private) else None
            if version is None:
                return view(request, *args, **kwargs)
            key = _page_key(request)
            kept = _kept_get_many(version, [key])
            if key in kept:
                status, headers, content = kept[key]
                return HttpResponse(content, status=status, headers=headers)
            response, read_session = _render_watching_the_session(view, request, *args, **kwargs)
            if not read_session and _cacheable_response(request, response):
                _kept_set_many(
                    version, {key: (response.status_code, dict(response.items()), response.content)}
                )
            return response

        return wrapper

    return decorate
