"""Rate limits: one decorator that counts POSTs against the groups of `settings.RATE_LIMITS`.

`@rate_limit("report_step", "report_submit")` counts every POST to the view in each group named, per
client address (`client_address`) unless `key` says otherwise (the API counts per agency token). Every
group is counted, even once one is over, so each limit sees every attempt; a group named in `when` is
counted only for the POSTs its test accepts (the referral form's "Add another" is not a send). Over
any limit the view is not called: `over_limit(request, retry_after)` answers instead, by default with
the 429 page. Rates are read from the settings on each request (docs/decisions/0020).

The counters are django-ratelimit's, in the default cache; it hashes the group, key and time window
into the cache key, so no address or token is stored in the clear.
"""

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django_ratelimit.core import get_usage

from .client import client_address
from .views import rate_limited

# The request is the one the view receives: Django's HttpRequest, or DRF's Request that wraps one and
# answers for it (the API), hence Any.
RateKey = Callable[[Any], str]
RequestTest = Callable[[Any], bool]
# Answers a request over a limit, given the seconds until it may be sent again (for Retry-After).
OverLimit = Callable[[Any, int], HttpResponseBase]
View = Callable[..., HttpResponseBase]


def rate_limited_page(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 page that tells a person what has happened and what to do now."""
    return rate_limited(request, retry_after=retry_after)


def _seconds_to_wait(request: HttpRequest, groups: list[str], key: RateKey) -> int | None:
    """Count this request in each group; the seconds until it may be sent again, or None if within all."""
    if not groups:
        return None
    value = key(request)
    wait = None
    for group in groups:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request: value,
            rate=settings.RATE_LIMITS[group],
            method="POST",
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            # time_left is -1 when the cache could not count: refused (fail closed), so wait a moment.
            wait = max(wait or 1, usage["time_left"])
    return wait


def rate_limit(
    *groups: str,
    key: RateKey = client_address,
    when: Mapping[str, RequestTest] | None = None,
    over_limit: OverLimit = rate_limited_page,
) -> Callable[[View], View]:
    """Count each POST to the view in every group of settings.RATE_LIMITS named; over any -> `over_limit`."""
    conditions = dict(when or {})
    if unknown := set(conditions) - set(groups):
        raise ValueError(f"`when` names groups this limit does not count: {sorted(unknown)}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                counted = [group for group in groups if group not in conditions or conditions[group](request)]
                wait = _seconds_to_wait(request, counted, key)
                if wait is not None:
                    return over_limit(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
