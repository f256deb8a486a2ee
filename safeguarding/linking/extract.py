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


def _person(person: ConcernPerson, position: int, on: datetime.date) -> IdentifierSpec | None:
    names = normalise.names_split(person.name)
    nicknames = normalise.names_split(person.nicknames)
    if not names and not nicknames and not person.age and not person.date_of_birth:
        return None
    main = names[0] if names else (nicknames[0] if nicknames else "")
    cleaned = normalise.name_clean(main) if names else normalise.Cleaned(main, False)
    age = normalise.age_parse(person.age)
    date_of_birth = normalise.date_of_birth_parse(person.date_of_birth)
    born = normalise.birth_years(age=age, date_of_birth=date_of_birth, on=on)
    details = {
        "aliases": names[1:],
        "aliases_normal": [c.value for n in names[1:] if (c := normalise.name_clean(n)).ok],
        "nicknames": nicknames,
        "nicknames_normal": [c.value for n in nicknames if (c := normalise.name_clean(n)).ok],
        "age": person.age,
        "age_low": age.low if age else None,
        "age_high": age.high if age else None,
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
        "born_low": born.low if born else None,
        "born_high": born.high if born else None,
    }
    return IdentifierSpec(
        kind=Kind.PERSON,
        role=_PERSON_ROLES.get(person.role, Role.OTHER),
        origin=Origin.REPORTED,
        value=main,
        normal=cleaned.value if cleaned.ok else "",
        normalised=cleaned.ok,
        source=f"people.{position}",
        details=details,
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
    specs: list[IdentifierSpec] = []
    for position, person in enumerate(concern.people.all()):
        if (spec := _person(person, position, on)) is not None:
            specs.append(spec)
    for position, vehicle in enumerate(concern.vehicles.all()):
        if vehicle.registration.strip():
            specs.append(
                _cleaned(
                    Kind.VEHICLE,
                    Role.VEHICLE_USED,
                    Origin.REPORTED,
                    vehicle.registration,
                    f"vehicles.{position}",
                    normalise.registration_clean(vehicle.registration),
                )
            )
    for position, phone in enumerate(concern.phones.all()):
        if phone.number.strip():
            specs.append(
                _cleaned(
                    Kind.PHONE,
                    Role.CONTACT,
                    Origin.REPORTED,
                    phone.number,
                    f"phones.{position}",
                    normalise.phone_clean(phone.number),
                )
            )
    for position, place in enumerate(concern.places.all()):
        typed = " / ".join(part for part in (place.venue, place.address, place.postcode) if part.strip())
        if not typed:
            continue
        postcode = normalise.postcode_clean(place.postcode)
        venue, address = normalise.place_clean(place.venue), normalise.place_clean(place.address)
        specs.append(
            IdentifierSpec(
                kind=Kind.PLACE,
                role=Role.PLACE_OF_HARM,
                origin=Origin.REPORTED,
                value=typed,
                normal=" / ".join(c.value for c in (venue, address, postcode) if c.ok),
                normalised=venue.ok or address.ok or postcode.ok,
                source=f"places.{position}",
                details={
                    "venue": place.venue,
                    "address": place.address,
                    "postcode": place.postcode,
                    "venue_normal": venue.value if venue.ok else "",
                    "address_normal": address.value if address.ok else "",
                    "postcode_normal": postcode.value if postcode.ok else "",
                },
            )
        )
    for position, account in enumerate(concern.online_accounts.all()):
        if account.handle.strip():
            specs.append(
                _cleaned(
                    Kind.ACCOUNT,
                    Role.CONTACT,
                    Origin.REPORTED,
                    account.handle,
                    f"online_accounts.{position}",
                    normalise.handle_clean(account.handle),
                    platform=account.platform,
                    platform_normal=normalise.platform_clean(account.platform),
                )
            )
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
