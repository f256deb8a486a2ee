"""The keyed blind indexes of an identifier: one for each form in which it can equal another.

A key is HMAC-SHA256 of the cleaned form under the blind index key, with a purpose per key kind, so a
phone's index never equals a name's. Candidates for a link are the concerns sharing any key; nothing is
decrypted to find them (docs/decisions/0022).
"""

from dataclasses import dataclass
from typing import Any

from safeguarding.core.crypto import blind_index

from . import normalise
from .models import Identifier, IdentifierKey

Kind = IdentifierKey.Kind


@dataclass(frozen=True)
class Key:
    kind: str
    index: str


def key_index(kind: str, cleaned: str) -> str:
    return blind_index(cleaned, purpose=f"linking.key.{kind}")


def _key(kind: str, cleaned: str) -> Key | None:
    return Key(kind, key_index(kind, cleaned)) if cleaned else None


def identifier_keys(
    *, kind: str, normal: str, normalised: bool, value: str, details: dict[str, Any]
) -> list[Key]:
    """Every key of one identifier, from its cleaned form (`normal`) and parts (`details`)."""
    keys: list[Key | None] = []
    if kind == Identifier.Kind.PHONE:
        if normalised:
            keys.append(_key(Kind.PHONE, normal))
        elif len(digits := normalise.phone_digits(value)) >= 6:
            keys.append(_key(Kind.PHONE_RAW, digits))
    elif kind == Identifier.Kind.VEHICLE:
        # A plate not in a UK shape (foreign, or partly read) still matches exactly, squashed.
        keys.append(_key(Kind.VEHICLE, normal if normalised else normalise.registration_squashed(value)))
        if normalised:
            keys.append(_key(Kind.VEHICLE_LOOKALIKE, normalise.registration_lookalike(normal)))
    elif kind == Identifier.Kind.PLACE:
        postcode = str(details.get("postcode_normal") or "")
        if postcode:
            keys.append(_key(Kind.POSTCODE, postcode) if " " in postcode else None)
            keys.append(_key(Kind.DISTRICT, normalise.postcode_district(postcode)))
        for part in ("venue_normal", "address_normal"):
            keys.append(_key(Kind.PLACE, str(details.get(part) or "")))
    elif kind == Identifier.Kind.ACCOUNT:
        if normalised:
            platform = str(details.get("platform_normal") or "")
            keys.append(_key(Kind.ACCOUNT, f"{platform}:{normal}" if platform else ""))
            keys.append(_key(Kind.HANDLE, normal))
    elif kind == Identifier.Kind.PERSON:
        names = [normal] if normalised else []
        names += [str(alias) for alias in details.get("aliases_normal", [])]
        for name in names:
            keys.append(_key(Kind.NAME, name))
            keys.append(_key(Kind.NAME_BLOCK, normalise.name_block(name)))
        for nickname in details.get("nicknames_normal", []):
            keys.append(_key(Kind.NICKNAME, str(nickname)))
            keys.append(_key(Kind.NAME_BLOCK, normalise.name_block(str(nickname))))
    unique = {key for key in keys if key is not None}
    return sorted(unique, key=lambda key: (key.kind, key.index))
