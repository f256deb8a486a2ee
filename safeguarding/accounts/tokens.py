"""Agency API tokens: made, checked and revoked here, and nowhere else (docs/decisions/0017).

A token reads `sgpt_<prefix>_<secret>`: the prefix is public (it names the token in lists and in
the audit trail), the secret is 256 random bits. Only a keyed hash of the whole token is stored
(HMAC-SHA256 under the blind index key), so a copy of the database cannot be used to call the API.
The token is returned once, when made; it cannot be shown again, only revoked and replaced.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.audit.watch import audited_elsewhere
from safeguarding.core.crypto import blind_index, blind_index_matches
from safeguarding.partnership.models import Agency

from .models import AgencyApiToken

TOKEN_PREFIX = "sgpt_"  # noqa: S105  (marks our tokens, e.g. for secret scanners)  # nosec B105
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = "abcdefghjkmnpqrstvwxyz23456789"
HASH_PURPOSE = "accounts.agencyapitoken.secret"
# A token is at most this long; anything longer is refused before any hashing.
TOKEN_MAX_LENGTH = 100
# Compared against when no token has the prefix given, so an unknown prefix takes as long as a bad secret.
_NO_TOKEN_HASH = "0" * 64
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION_SECONDS = 60


@dataclass(frozen=True)
class TokenCreated:
    token: AgencyApiToken
    # The whole token, to show once. Never stored, logged or audited.
    secret: str


@dataclass(frozen=True)
class AgencyTokenPrincipal:
    """Who is calling the API: an agency's system, through one token. Not a user account.

    It has no `pk`, so nothing records it as a user; the audit trail labels it with the agency and
    the token's public prefix, which is all anyone needs to trace a call.
    """

    token: AgencyApiToken
    pk: None = None
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    @property
    def agency(self) -> Agency:
        return self.token.agency

    def get_username(self) -> str:
        return f"API token {self.token.prefix} of {self.token.agency.slug}"


def _prefix_new() -> str:
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not AgencyApiToken.objects.filter(prefix=prefix).exists():
            return prefix


def api_token_create(*, agency: Agency, name: str, by: Any = None) -> TokenCreated:
    """Make a token for `agency`. The returned secret is the only copy there will ever be."""
    name = (name or "").strip()
    if not name:
        raise ValueError("Give the token a name: the system that will use it.")
    prefix = _prefix_new()
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic(), audited_elsewhere():
        token = AgencyApiToken.objects.create(
            agency=agency,
            name=name[:200],
            prefix=prefix,
            secret_hash=blind_index(secret, purpose=HASH_PURPOSE),
            created_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(
            kind=AuditEvent.Kind.CREATED,
            actor=by,
            target=token,
            summary=f"API token {prefix} created for {agency.name}",
            data={"agency": agency.slug, "prefix": prefix},
        )
    return TokenCreated(token, secret)


def api_token_revoke(*, token: AgencyApiToken, by: Any = None) -> bool:
    """Stop `token` working, at once. Returns False if it was already revoked."""
    with transaction.atomic():
        revoked = AgencyApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by if getattr(by, "pk", None) else None
        )
        if revoked:
            audit_record(
                kind=AuditEvent.Kind.UPDATED,
                actor=by,
                target=token,
                summary=f"API token {token.prefix} of {token.agency.name} revoked",
                data={"agency": token.agency.slug, "prefix": token.prefix},
                changes={"revoked": [False, True]},
            )
    token.refresh_from_db()
    return bool(revoked)


def _prefix_of(presented: str) -> str:
    if not presented.startswith(TOKEN_PREFIX):
        return ""
    rest = presented[len(TOKEN_PREFIX) :]
    prefix, sep, secret = rest.partition("_")
    if not sep or len(prefix) != PREFIX_LENGTH or not secret:
        return ""
    return prefix


def api_token_authenticate(presented: Any) -> AgencyApiToken | None:
    """The active token `presented` is, or None. Compares hashes in constant time.

    An unknown prefix, a wrong secret and a revoked token all give None, and all cost one hash.
    """
    if not isinstance(presented, str) or not presented or len(presented) > TOKEN_MAX_LENGTH:
        return None
    if not presented.isascii() or not presented.isprintable():
        return None
    prefix = _prefix_of(presented)
    token = AgencyApiToken.objects.select_related("agency").filter(prefix=prefix).first() if prefix else None
    stored = token.secret_hash if token is not None else _NO_TOKEN_HASH
    matches = blind_index_matches(presented, stored, purpose=HASH_PURPOSE)
    if token is None or not matches or token.revoked_at is not None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        AgencyApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
