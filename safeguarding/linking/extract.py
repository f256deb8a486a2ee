"""The identifiers of a concern, as specs to store: from what was reported in its structured answers
(people, vehicles, phones, places, accounts), and suggestions found in its free text (the narrative,
where and when, information added later) that an analyst may accept.

Reads a concern and returns plain data; writes nothing (services.concern_identifiers_refresh stores).
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safeguarding.concerns.models import Concern, ConcernPerson

from . import normalise
from .models import Identifier

Kind, Role, Origin = Identifier.Kind, Identifier.Role, Identifier.Origin

_PERSON_ROLES: dict[str, str] = {
    ConcernPerson.Role.AT_RISK.value: Role.AT_RISK.value,
    ConcernPerson.Role.HARMING.value: Role.HARMING.value,
    ConcernPerson.Role.OTHER.value: Role.OTHER.value,
}


@dataclass
class IdentifierSpec:
    kind: str
    role: str
    origin: str
    value: str
    normal: str
    normalised: bool
    source: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes two specs the same identifier: its kind, role and cleaned (or typed) value."""
        return (self.kind, self.role, self.normal if self.normalised else self.value.strip().lower())


# The parts a person types for each kind of identifier, in the order a form asks for them.
PARTS: dict[str, tuple[str, ...]] = {
    Kind.PERSON: ("name", "aliases", "nicknames", "age", "date_of_birth"),
    Kind.PHONE: ("number",),
    Kind.VEHICLE: ("registration",),
    Kind.PLACE: ("venue", "address", "postcode"),
    Kind.ACCOUNT: ("platform", "handle"),
}


def spec_from_parts(
    *, kind: str, role: str, origin: str, parts: dict[str, str], source: str, on: datetime.date
) -> IdentifierSpec | None:
    """The identifier that the typed `parts` of one person, phone, vehicle, place or account make,
    cleaned; None when nothing was typed. Used for what was reported, what staff add or correct, and
    by `reindex_identifiers` to clean an identifier again after a normaliser changes."""
    typed = {name: str(parts.get(name) or "").strip() for name in PARTS.get(kind, ())}
    if kind == Kind.PERSON:
        return _person(role, origin, typed, source, on)
    if kind == Kind.PLACE:
        return _place(role, origin, typed, source)
    if kind == Kind.ACCOUNT:
        if not typed["handle"]:
            return None
        return _cleaned(
            kind,
            role,
            origin,
            typed["handle"],
            source,
            normalise.handle_clean(typed["handle"]),
            platform=typed["platform"],
            platform_normal=normalise.platform_clean(typed["platform"]),
        )
    value = typed.get("number") or typed.get("registration") or ""
    if not value or kind not in (Kind.PHONE, Kind.VEHICLE):
        return None
    clean = normalise.phone_clean if kind == Kind.PHONE else normalise.registration_clean
    return _cleaned(kind, role, origin, value, source, clean(value))


def parts_of(*, kind: str, value: str, normalised: bool, details: dict[str, Any]) -> dict[str, str]:
    """The typed parts an identifier was made from, read back from its value and details (the inverse
    of `spec_from_parts`, for correcting it or cleaning it again)."""
    if kind == Kind.PERSON:
        nicknames = [str(n) for n in details.get("nicknames", [])]
        # A person known only by a nickname carries it as the value, with no name.
        named = normalised or not (nicknames and value == nicknames[0])
        return {
            "name": value if named else "",
            "aliases": ", ".join(str(a) for a in details.get("aliases", [])),
            "nicknames": ", ".join(nicknames),
            "age": str(details.get("age") or ""),
            "date_of_birth": str(details.get("date_of_birth") or ""),
        }
    if kind == Kind.PLACE:
        return {part: str(details.get(part) or "") for part in ("venue", "address", "postcode")}
    if kind == Kind.ACCOUNT:
        return {"platform": str(details.get("platform") or ""), "handle": value}
    if kind == Kind.PHONE:
        return {"number": value}
    return {"registration": value}


def _person(
    role: str, origin: str, typed: dict[str, str], source: str, on: datetime.date
) -> IdentifierSpec | None:
    # Several names in the name box are the name and its aliases; aliases may also be typed apart.
    names = normalise.names_split(typed["name"])
    names += [n for n in normalise.names_split(typed["aliases"]) if n.lower() not in map(str.lower, names)]
    nicknames = normalise.names_split(typed["nicknames"])
    if not names and not nicknames and not typed["age"] and not typed["date_of_birth"]:
        return None
    main = names[0] if names else (nicknames[0] if nicknames else "")
    cleaned = normalise.name_clean(main) if names else normalise.Cleaned(main, False)
    age = normalise.age_parse(typed["age"])
    date_of_birth = normalise.date_of_birth_parse(typed["date_of_birth"])
    born = normalise.birth_years(age=age, date_of_birth=date_of_birth, on=on)
    details = {
        "aliases": names[1:],
        "aliases_normal": [c.value for n in names[1:] if (c := normalise.name_clean(n)).ok],
        "nicknames": nicknames,
        "nicknames_normal": [c.value for n in nicknames if (c := normalise.name_clean(n)).ok],
        # The age as typed ("about 15") and as a range on the date of the concern.
        "age": typed["age"],
        "age_low": age.low if age else None,
        "age_high": age.high if age else None,
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
        "born_low": born.low if born else None,
        "born_high": born.high if born else None,
    }
    return IdentifierSpec(
        kind=Kind.PERSON,
        role=role,
        origin=origin,
        value=main,
        normal=cleaned.value if cleaned.ok else "",
        normalised=cleaned.ok,
        source=source,
        details=details,
    )


def _place(role: str, origin: str, typed: dict[str, str], source: str) -> IdentifierSpec | None:
    shown = " / ".join(part for part in (typed["venue"], typed["address"], typed["postcode"]) if part)
    if not shown:
        return None
    postcode = normalise.postcode_clean(typed["postcode"])
    venue, address = normalise.place_clean(typed["venue"]), normalise.place_clean(typed["address"])
    return IdentifierSpec(
        kind=Kind.PLACE,
        role=role,
        origin=origin,
        value=shown,
        normal=" / ".join(c.value for c in (venue, address, postcode) if c.ok),
        normalised=venue.ok or address.ok or postcode.ok,
        source=source,
        details={
            **typed,
            "venue_normal": venue.value if venue.ok else "",
            "address_normal": address.value if address.ok else "",
            "postcode_normal": postcode.value if postcode.ok else "",
        },
    )


def _cleaned(
    kind: str, role: str, origin: str, value: str, source: str, cleaned: normalise.Cleaned, **details: Any
) -> IdentifierSpec:
    return IdentifierSpec(
        kind=kind,
        role=role,
        origin=origin,
        value=value,
        normal=cleaned.value if cleaned.ok else "",
        normalised=cleaned.ok,
        source=source,
        details=details,
    )


def reported_identifiers(concern: Concern) -> list[IdentifierSpec]:
    """What the reporter gave in the concern's structured answers."""
    on = timezone.localdate(concern.received_at)
    reported: list[tuple[str, str, dict[str, str], str]] = []
    for position, person in enumerate(concern.people.all()):
        parts = {"name": person.name, "nicknames": person.nicknames, "age": person.age}
        parts["date_of_birth"] = person.date_of_birth
        role = _PERSON_ROLES.get(person.role, Role.OTHER)
        reported.append((Kind.PERSON, role, parts, f"people.{position}"))
    for position, vehicle in enumerate(concern.vehicles.all()):
        parts = {"registration": vehicle.registration}
        reported.append((Kind.VEHICLE, Role.VEHICLE_USED, parts, f"vehicles.{position}"))
    for position, phone in enumerate(concern.phones.all()):
        reported.append((Kind.PHONE, Role.CONTACT, {"number": phone.number}, f"phones.{position}"))
    for position, place in enumerate(concern.places.all()):
        parts = {"venue": place.venue, "address": place.address, "postcode": place.postcode}
        reported.append((Kind.PLACE, Role.PLACE_OF_HARM, parts, f"places.{position}"))
    for position, account in enumerate(concern.online_accounts.all()):
        parts = {"platform": account.platform, "handle": account.handle}
        reported.append((Kind.ACCOUNT, Role.CONTACT, parts, f"online_accounts.{position}"))
    specs = []
    for kind, role, parts, source in reported:
        spec = spec_from_parts(
            kind=kind, role=role, origin=Origin.REPORTED, parts=parts, source=source, on=on
        )
        if spec is not None:
            specs.append(spec)
    return specs


_PHONE_IN_TEXT = re.compile(r"(?:\+|\b0)[\d ()\-]{9,16}\d")
_REGISTRATION_IN_TEXT = re.compile(r"\b[A-Z]{2}[0-9]{2}\s?[A-Z]{3}\b", re.IGNORECASE)
_HANDLE_IN_TEXT = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{2,30})")


def text_suggestions(concern: Concern) -> list[IdentifierSpec]:
    """Phones, registrations, postcodes and handles found by pattern in the concern's free text:
    suggestions for an analyst, never identifiers until accepted."""
    texts = [("narrative", concern.narrative), ("where_and_when", concern.where_and_when)]
    texts += [
        (f"additional_information.{n}", info.text)
        for n, info in enumerate(concern.additional_information.all())
    ]
    specs: list[IdentifierSpec] = []
    for source, text in texts:
        for match in _PHONE_IN_TEXT.finditer(text or ""):
            cleaned = normalise.phone_clean(match.group(0))
            if cleaned.ok:
                specs.append(_cleaned(Kind.PHONE, Role.CONTACT, Origin.TEXT, match.group(0), source, cleaned))
        for match in _REGISTRATION_IN_TEXT.finditer(text or ""):
            cleaned = normalise.registration_clean(match.group(0))
            if cleaned.ok:
                specs.append(
                    _cleaned(Kind.VEHICLE, Role.VEHICLE_USED, Origin.TEXT, match.group(0), source, cleaned)
                )
        for postcode in normalise.postcodes_in_text(text or ""):
            specs.append(
                IdentifierSpec(
                    Kind.PLACE,
                    Role.PLACE_OF_HARM,
                    Origin.TEXT,
                    postcode,
                    postcode,
                    True,
                    source,
                    {"postcode": postcode, "postcode_normal": postcode},
                )
            )
        for match in _HANDLE_IN_TEXT.finditer(text or ""):
            cleaned = normalise.handle_clean(match.group(1))
            if cleaned.ok:
                specs.append(
                    _cleaned(
                        Kind.ACCOUNT,
                        Role.CONTACT,
                        Origin.TEXT,
                        "@" + match.group(1),
                        source,
                        cleaned,
                        platform="",
                        platform_normal="",
                    )
                )
    unique: dict[tuple[str, str, str], IdentifierSpec] = {}
    for spec in specs:
        unique.setdefault(spec.identity, spec)
    return list(unique.values())
