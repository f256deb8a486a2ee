"""Who is asking: the one place that decides a request's client address (docs/decisions/0024).

Rate limits and the sign-in lockout count by it. Behind TRUSTED_PROXY_COUNT reverse proxies, each of
which appends the address it was reached from to X-Forwarded-For, the client is the entry that many
places from the right (django-ipware reads the header); everything to its left could have been typed
by anyone and is ignored. Without proxies (the default) the header is ignored and the address is
REMOTE_ADDR. A header that is missing, too short or not addresses gives REMOTE_ADDR, never an error:
so at worst such requests share the nearest proxy's count, and a spoofed header never earns a fresh
one. IPv6 addresses count by their /64, the block one household or phone is given.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

UNKNOWN = "unknown"


def client_address(request: HttpRequest) -> str:
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    found: str | None = None
    if proxies > 0:
        # django-ipware counts the proxies named in the header after the client: the nearest proxy
        # is REMOTE_ADDR, not in the header, so that is one fewer than the proxies in front of us.
        found, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
    address = found or str(request.META.get("REMOTE_ADDR") or "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def lockout_address(request: HttpRequest) -> str | None:
    """The client address for django-axes, which stores it in an address column: None when unknown
    (a request built in code, such as a test's force_login, has no REMOTE_ADDR)."""
    address = client_address(request)
    return None if address == UNKNOWN else address
