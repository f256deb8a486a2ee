"""Scoring a pair of concerns: whether they may be about the same people or things, how strongly, and why.

`pair_score(a, b)` is the one scoring function of the incremental path (services.links) and the batch
(batch.py), so both give the same links. It compares the decrypted, in-use identifiers of two concerns
(`ConcernProfile`, loaded by `profiles_load`) and returns a `PairScore`: a strength (probable or
possible; "confirmed" is only ever an analyst's), a score between 0 and 1, every reason in words, and
an evidence signature (a keyed hash of the matched key indexes) that changes when new evidence arrives.

The rules, kept as rules so that each link can be explained (docs/decisions/0022):
- an exact match on a cleaned phone, registration, account or handle, or venue or address is
  probable; a full postcode alone is possible (it is a street, about fifteen addresses, not a place);
  a registration that matches only when O/0, I/1, S/5, B/8 are read alike is only ever possible; a
  shared postcode district alone is nothing;
- people match on full names, exactly or across spellings and transliterations (metaphone codes of
  every word alike, and rapidfuzz similarity), with their birth years: a full-name match is probable
  only when both sides give an age or date of birth and they agree; clearly different ages make an
  exact name possible and a fuzzy one nothing; a first name alone or a nickname is at most possible;
- a link is as strong as its strongest match (two possible matches make a surer possible link, not a
  probable one).
"""

import datetime
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from safeguarding.concerns.models import Concern
from safeguarding.core.crypto import blind_index

from . import normalise
from .models import Identifier, IdentifierKey, Link

Kind, Role, KeyKind = Identifier.Kind, Identifier.Role, IdentifierKey.Kind
PROBABLE, POSSIBLE = Link.Strength.PROBABLE.value, Link.Strength.POSSIBLE.value
_LEVELS = {PROBABLE: 2, POSSIBLE: 1}

# How much each kind of match counts towards the score (a link's score is 1 - the product of 1 - w).
WEIGHTS = {
    "phone": 0.95,
    "vehicle": 0.95,
    "account": 0.95,
    "place": 0.85,
    "person_exact": 0.85,
    "person_fuzzy": 0.8,
    # Possible only
    "handle_other_platform": 0.5,
    "phone_raw": 0.5,
    "vehicle_lookalike": 0.4,
    "postcode": 0.45,
    "place_alike": 0.35,
    "person_weak": 0.35,
    "nickname": 0.4,
    "first_name": 0.2,
}
# Two full names are alike when every word sounds alike (metaphone) and they are close as written, or
# when they are very close as written whatever the order of the words.
NAME_ALIKE_JARO_WINKLER = 0.8
NAME_ALIKE_TOKEN_SORT = 90
PLACE_ALIKE_TOKEN_SET = 90
# Birth years this far apart or nearer (between the nearest ends of the two ranges) agree: a reporter's
# "15" is often a guess a year out. Further apart, up to AGE_GAP_SLIGHT, they differ slightly; beyond
# it they are clearly different ages.
AGE_GAP_AGREE = 1
AGE_GAP_SLIGHT = 2
# A birth-year range wider than this ("mid teens", "20s") agrees with too much to make a name probable.
AGE_RANGE_NARROW = 5

_EXACT_KEY_KINDS: dict[str, tuple[str, ...]] = {
    Kind.PHONE: (KeyKind.PHONE, KeyKind.PHONE_RAW),
    Kind.VEHICLE: (KeyKind.VEHICLE,),
    Kind.PLACE: (KeyKind.POSTCODE, KeyKind.PLACE),
    Kind.ACCOUNT: (KeyKind.ACCOUNT, KeyKind.HANDLE),
    Kind.PERSON: (KeyKind.NAME, KeyKind.NICKNAME),
}
_PLATFORM_NAMES = {"tiktok": "TikTok", "whatsapp": "WhatsApp", "x": "X"}


@dataclass(frozen=True)
class Mention:
    """One decrypted, in-use identifier of a concern, with the indexes of its keys."""

    id: int
    concern_id: int
    kind: str
    role: str
    value: str
    normal: str
    normalised: bool
    details: Mapping[str, Any]
    keys: frozenset[tuple[str, str]] = frozenset()

    def indexes(self, *kinds: str) -> set[str]:
        return {index for kind, index in self.keys if kind in kinds}

    def exact_indexes(self) -> set[str]:
        """The indexes of the keys that say exactly what this is (never a blocking key)."""
        return self.indexes(*_EXACT_KEY_KINDS.get(self.kind, ()))

    # A person's parts, worked out once per mention however many pairs it is scored in.
    @cached_property
    def names(self) -> dict[str, str]:
        return _names(self)

    @cached_property
    def nicknames(self) -> dict[str, str]:
        return _nicknames(self)

    @cached_property
    def born(self) -> "_Born | None":
        return _born(self)


@dataclass(frozen=True)
class ConcernProfile:
    """What linking compares of one concern: its reference, when it was received, and its mentions."""

    concern_id: int
    reference: str
    received_at: datetime.datetime
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class Match:
    """One thing two concerns share: how strongly, why in words, and the key indexes it rests on."""

    level: str
    what: str  # a WEIGHTS name
    reason: str
    parts: tuple[str, ...]
    a: Mention
    b: Mention

    @property
    def weight(self) -> float:
        return WEIGHTS[self.what]

    @property
    def item(self) -> str:
        """A keyed hash of what this match rests on: one item of the link's evidence."""
        return blind_index("|".join(sorted(self.parts)), purpose="linking.evidence.item")


@dataclass(frozen=True)
class PairScore:
    strength: str | None  # probable, possible, or None: not a link
    score: float
    reasons: list[str]
    evidence: str
    matches: tuple[Match, ...] = field(default=())

    @property
    def evidence_items(self) -> list[str]:
        return sorted({match.item for match in self.matches})


def evidence_signature(items: Iterable[str]) -> str:
    """The keyed hash of a link's evidence items: the same evidence always gives the same signature."""
    return blind_index("|".join(sorted(set(items))), purpose="linking.evidence")


NO_LINK = PairScore(strength=None, score=0.0, reasons=[], evidence="")


def pair_score(a: ConcernProfile, b: ConcernProfile) -> PairScore:
    """Compare two concerns' identifiers; a PairScore with strength None when nothing links them."""
    matches: list[Match] = []
    for ma in a.mentions:
        for mb in b.mentions:
            if ma.kind != mb.kind:
                continue
            match = _MATCHERS[ma.kind](ma, mb)
            if match is not None:
                matches.append(match)
    if not matches:
        return NO_LINK
    matches.sort(key=lambda m: (-_LEVELS[m.level], -m.weight, m.reason))
    strength = matches[0].level
    remaining = 1.0
    for match in matches:
        remaining *= 1.0 - match.weight
    reasons = list(dict.fromkeys(match.reason for match in matches))
    evidence = evidence_signature(match.item for match in matches)
    return PairScore(strength, round(1.0 - remaining, 4), reasons, evidence, tuple(matches))


# --- Things ------------------------------------------------------------------------------------------


def _shared(a: Mention, b: Mention, *kinds: str) -> tuple[str, ...]:
    return tuple(sorted(a.indexes(*kinds) & b.indexes(*kinds)))


def _phone(a: Mention, b: Mention) -> Match | None:
    if a.normalised and b.normalised and a.normal == b.normal:
        parts = _shared(a, b, KeyKind.PHONE) or (a.normal,)
        return Match(PROBABLE, "phone", f"same phone {a.normal} in both", parts, a, b)
    if not a.normalised and not b.normalised:
        digits = normalise.phone_digits(a.value)
        if len(digits) >= 6 and digits == normalise.phone_digits(b.value):
            parts = _shared(a, b, KeyKind.PHONE_RAW) or (digits,)
            reason = f"same number {digits} in both, though it is not a phone number as written"
            return Match(POSSIBLE, "phone_raw", reason, parts, a, b)
    return None


def registration_display(cleaned: str) -> str:
    """A cleaned registration as printed on a plate: "AB12CDE" -> "AB12 CDE", "A123BCD" -> "A123 BCD",
    "ABC123D" -> "ABC 123D"; anything else as it is."""
    if len(cleaned) > 4 and cleaned[-3:].isalpha() and cleaned[-4].isdigit():
        return f"{cleaned[:-3]} {cleaned[-3:]}"
    if len(cleaned) > 4 and cleaned[:3].isalpha() and cleaned[3].isdigit():
        return f"{cleaned[:3]} {cleaned[3:]}"
    return cleaned


def _plate(mention: Mention) -> str:
    """The cleaned registration, or, for one not in a UK shape, what was typed squashed to A-Z0-9."""
    return mention.normal if mention.normalised else re.sub(r"[^A-Z0-9]", "", mention.value.upper())


def _vehicle(a: Mention, b: Mention) -> Match | None:
    plate_a, plate_b = _plate(a), _plate(b)
    if len(plate_a) < 2 or len(plate_b) < 2:
        return None
    if a.normalised and b.normalised and plate_a == plate_b:
        parts = _shared(a, b, KeyKind.VEHICLE) or (plate_a,)
        reason = f"same registration {registration_display(plate_a)} in both"
        return Match(PROBABLE, "vehicle", reason, parts, a, b)
    if normalise.registration_lookalike(plate_a) == normalise.registration_lookalike(plate_b):
        first, second = sorted([registration_display(plate_a), registration_display(plate_b)])
        if first == second:  # the same plate, not in a UK shape: it may be a misread or a foreign plate
            reason = f"same registration {first} in both, though it is not a UK registration as written"
        else:
            reason = f"registration {first} and {second} could be misread for each other"
        parts = tuple(sorted(a.indexes(KeyKind.VEHICLE) | b.indexes(KeyKind.VEHICLE))) or (first, second)
        return Match(POSSIBLE, "vehicle_lookalike", reason, parts, a, b)
    return None


def _place_name(mention: Mention) -> str:
    details = mention.details
    words = [str(details.get(part) or "").strip() for part in ("venue", "address", "postcode")]
    return ", ".join(" ".join(word.split()) for word in words if word) or mention.value


def _place(a: Mention, b: Mention) -> Match | None:
    da, db = a.details, b.details
    places = {str(da.get(p) or "") for p in ("venue_normal", "address_normal")} - {""}
    others = {str(db.get(p) or "") for p in ("venue_normal", "address_normal")} - {""}
    postcode_a, postcode_b = str(da.get("postcode_normal") or ""), str(db.get("postcode_normal") or "")
    same_postcode = " " in postcode_a and postcode_a == postcode_b
    if places & others:
        parts = _shared(a, b, KeyKind.PLACE, KeyKind.POSTCODE) or tuple(sorted(places & others))
        reason = f"same place {_place_name(a)} in both"
        if _place_name(b) != _place_name(a):
            reason = f"same place in both ({_place_name(a)} / {_place_name(b)})"
        return Match(PROBABLE, "place", reason, parts, a, b)
    if same_postcode:
        parts = _shared(a, b, KeyKind.POSTCODE) or (postcode_a,)
        # A full postcode is a street or part of one (about fifteen addresses), not one place.
        return Match(POSSIBLE, "postcode", f"same postcode {postcode_a} in both", parts, a, b)
    district_a, district_b = normalise.postcode_district(postcode_a), normalise.postcode_district(postcode_b)
    if places and others and district_a and district_a == district_b:
        best = max(fuzz.token_set_ratio(x, y) for x in places for y in others)
        if best >= PLACE_ALIKE_TOKEN_SET:
            parts = tuple(sorted(a.indexes(KeyKind.PLACE) | b.indexes(KeyKind.PLACE)))
            reason = f"places {_place_name(a)} and {_place_name(b)}, both in {district_a}, may be the same"
            return Match(POSSIBLE, "place_alike", reason, parts, a, b)
    return None  # a shared postcode district alone is not a link


def platform_display(platform_normal: str) -> str:
    return _PLATFORM_NAMES.get(platform_normal, platform_normal.capitalize())


def _account(a: Mention, b: Mention) -> Match | None:
    if not (a.normalised and b.normalised and a.normal == b.normal):
        return None
    platform_a = str(a.details.get("platform_normal") or "")
    platform_b = str(b.details.get("platform_normal") or "")
    if platform_a and platform_b and platform_a != platform_b:
        parts = _shared(a, b, KeyKind.HANDLE) or (a.normal,)
        reason = (
            f"same handle {a.normal} on {platform_display(platform_a)} and {platform_display(platform_b)}"
        )
        return Match(POSSIBLE, "handle_other_platform", reason, parts, a, b)
    parts = _shared(a, b, KeyKind.ACCOUNT, KeyKind.HANDLE) or (a.normal,)
    platform = platform_a or platform_b
    on = f"{platform_display(platform)} account" if platform else "handle"
    return Match(PROBABLE, "account", f"same {on} {a.normal} in both", parts, a, b)


# --- People ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Born:
    low: int
    high: int
    date_of_birth: str  # ISO, or ""


def _born(mention: Mention) -> _Born | None:
    details = mention.details
    low, high = details.get("born_low"), details.get("born_high")
    if not isinstance(low, int) or not isinstance(high, int):
        return None
    return _Born(low, high, str(details.get("date_of_birth") or ""))


def _years(born: _Born) -> str:
    return str(born.low) if born.low == born.high else f"between {born.low} and {born.high}"


def _ages(a: _Born | None, b: _Born | None) -> tuple[str, str]:
    """How two people's ages compare ("same", "agree", "loose", "slight", "different" or "unknown")
    and the words that say it."""
    if a is None or b is None:
        return "unknown", "no age to compare"
    if a.date_of_birth and b.date_of_birth:
        if a.date_of_birth == b.date_of_birth:
            born = datetime.date.fromisoformat(a.date_of_birth)
            return "same", f"both born on {born.day} {born:%B %Y}"
        if abs(a.low - b.low) > 1:
            return "different", f"but born in {a.low} and {b.low}"
        return "slight", f"but born on different days ({a.date_of_birth} and {b.date_of_birth})"
    gap = max(a.low - b.high, b.low - a.high, 0)
    if gap <= AGE_GAP_AGREE:
        if (a.low, a.high) == (b.low, b.high):
            words = f"both born {_years(a)}"
        else:
            words = f"born {_years(a)} and {_years(b)}"
        narrow = a.high - a.low <= AGE_RANGE_NARROW and b.high - b.low <= AGE_RANGE_NARROW
        return ("agree" if narrow else "loose"), words
    words = f"but born {_years(a)} and {_years(b)}"
    return ("slight" if gap <= AGE_GAP_SLIGHT else "different"), words


def _names(mention: Mention) -> dict[str, str]:
    """A person's full names and aliases: cleaned form -> as typed."""
    names: dict[str, str] = {}
    if mention.normalised and mention.normal:
        names[mention.normal] = mention.value
    typed = [str(n) for n in mention.details.get("aliases", [])]
    for alias in mention.details.get("aliases_normal", []):
        names.setdefault(str(alias), _typed(str(alias), typed))
    return names


def _nicknames(mention: Mention) -> dict[str, str]:
    typed = [str(n) for n in mention.details.get("nicknames", [])]
    return {str(n): _typed(str(n), typed) for n in mention.details.get("nicknames_normal", [])}


def _typed(cleaned: str, typed: Sequence[str]) -> str:
    for text in typed:
        if normalise.name_clean(text).value == cleaned:
            return " ".join(text.split())
    return cleaned.title()


@lru_cache(maxsize=65536)
def names_alike(a: str, b: str) -> bool:
    """Whether two cleaned full names could be one name spelt or transliterated two ways."""
    codes_a, codes_b = normalise.name_phonetic(a), normalise.name_phonetic(b)
    if len(codes_a) >= 2 and codes_a == codes_b and JaroWinkler.similarity(a, b) >= NAME_ALIKE_JARO_WINKLER:
        return True
    return fuzz.token_sort_ratio(a, b) >= NAME_ALIKE_TOKEN_SORT


def _name_match(a: Mention, b: Mention) -> tuple[str, str, str, str] | None:
    """The best name evidence between two people: (how, what a is called, what b is called, key kind)."""
    names_a, names_b = a.names, b.names
    full_a = {n: t for n, t in names_a.items() if len(n.split()) >= 2}
    full_b = {n: t for n, t in names_b.items() if len(n.split()) >= 2}
    for name in sorted(full_a.keys() & full_b.keys()):
        return "exact", full_a[name], full_b[name], KeyKind.NAME
    for name_a, typed_a in sorted(full_a.items()):
        for name_b, typed_b in sorted(full_b.items()):
            if names_alike(name_a, name_b):
                return "alike", typed_a, typed_b, KeyKind.NAME
    nick_a, nick_b = a.nicknames, b.nicknames
    single_a = {n: t for n, t in names_a.items() if len(n.split()) == 1}
    single_b = {n: t for n, t in names_b.items() if len(n.split()) == 1}
    for name in sorted(nick_a.keys() & (nick_b.keys() | single_b.keys())):
        return "nickname", nick_a[name], (nick_b | single_b)[name], KeyKind.NICKNAME
    for name in sorted(nick_b.keys() & single_a.keys()):
        return "nickname", single_a[name], nick_b[name], KeyKind.NICKNAME
    firsts_a = {n.split()[0]: t.split()[0] for n, t in names_a.items() if t.split()}
    firsts_b = {n.split()[0]: t.split()[0] for n, t in names_b.items() if t.split()}
    for name in sorted(firsts_a.keys() & firsts_b.keys()):
        return "first_name", firsts_a[name], firsts_b[name], KeyKind.NAME_BLOCK
    return None


# Strength of a person match, by how the names match and how their ages compare (None: no match).
_PERSON_LEVELS: dict[str, dict[str, tuple[str, str] | None]] = {
    "exact": {
        "same": (PROBABLE, "person_exact"),
        "agree": (PROBABLE, "person_exact"),
        "loose": (POSSIBLE, "person_weak"),
        "unknown": (POSSIBLE, "person_weak"),
        "slight": (POSSIBLE, "person_weak"),
        "different": (POSSIBLE, "person_weak"),
    },
    # Names alike but not equal are probable only with the same date of birth on both sides: with birth
    # years alone, a city's worth of concerns holds too many different people whose names sound alike
    # (measured by bench/linking.py: most of the wrong probable links at 100,000 concerns were these).
    "alike": {
        "same": (PROBABLE, "person_fuzzy"),
        "agree": (POSSIBLE, "person_fuzzy"),
        "loose": (POSSIBLE, "person_weak"),
        "unknown": (POSSIBLE, "person_weak"),
        "slight": (POSSIBLE, "person_weak"),
        "different": None,
    },
    "nickname": {
        "same": (POSSIBLE, "nickname"),
        "agree": (POSSIBLE, "nickname"),
        "loose": (POSSIBLE, "nickname"),
        "unknown": (POSSIBLE, "nickname"),
        "slight": (POSSIBLE, "nickname"),
        "different": None,
    },
    "first_name": {
        "same": (POSSIBLE, "first_name"),
        "agree": (POSSIBLE, "first_name"),
        "loose": None,
        "unknown": None,
        "slight": None,
        "different": None,
    },
}
_ROLE_WORDS: dict[str, str] = {
    Role.AT_RISK: "a person at risk",
    Role.HARMING: "a person who may be causing harm",
    Role.OTHER: "someone else involved",
}


def _person(a: Mention, b: Mention) -> Match | None:
    found = _name_match(a, b)
    if found is None:
        return None
    how, called_a, called_b, key_kind = found
    ages, age_words = _ages(a.born, b.born)
    outcome = _PERSON_LEVELS[how][ages]
    if outcome is None:
        return None
    level, what = outcome
    if how == "exact":
        words = f"same name {called_a} in both"
    elif how == "alike":
        words = f"names {called_a} / {called_b}"
    elif how == "nickname":
        words = (
            f"same nickname {called_a} in both"
            if called_a == called_b
            else f"nicknames {called_a} / {called_b}"
        )
    else:
        words = f"same first name {called_a} in both, and nothing more of the name"
    reason = f"{words}, {age_words}"
    roles = {a.role, b.role}
    if len(roles) > 1 and Role.OTHER not in roles:
        # The same name as a person at risk in one concern and as a person causing harm in another.
        level, what = POSSIBLE, "person_weak" if what.startswith("person") else what
        reason += (
            f" ({_ROLE_WORDS.get(a.role, a.role)} in one, {_ROLE_WORDS.get(b.role, b.role)} in the other)"
        )
    if key_kind == KeyKind.NAME_BLOCK:
        parts = tuple(sorted(a.indexes(KeyKind.NAME_BLOCK) & b.indexes(KeyKind.NAME_BLOCK)))
    else:
        parts = tuple(
            sorted(a.indexes(KeyKind.NAME, KeyKind.NICKNAME) | b.indexes(KeyKind.NAME, KeyKind.NICKNAME))
        )
    return Match(level, what, reason, parts or (called_a.lower(), called_b.lower()), a, b)


_MATCHERS: dict[str, Callable[[Mention, Mention], Match | None]] = {
    Kind.PHONE: _phone,
    Kind.VEHICLE: _vehicle,
    Kind.PLACE: _place,
    Kind.ACCOUNT: _account,
    Kind.PERSON: _person,
}


# --- Loading -----------------------------------------------------------------------------------------


def mention_from(identifier: Identifier, keys: Iterable[tuple[str, str]] = ()) -> Mention:
    """A Mention of a loaded (so decrypted) identifier."""
    try:
        details = json.loads(identifier.details or "{}")
    except ValueError:
        details = {}
    return Mention(
        id=identifier.pk,
        concern_id=identifier.concern_id,
        kind=identifier.kind,
        role=identifier.role,
        value=identifier.value,
        normal=identifier.normal,
        normalised=identifier.normalised,
        details=details if isinstance(details, dict) else {},
        keys=frozenset(keys),
    )


def profiles_load(concern_ids: Iterable[int], *, chunk: int = 500) -> dict[int, ConcernProfile]:
    """The profiles of these concerns: their in-use identifiers, decrypted, with their key indexes.
    Three queries a chunk; concerns that no longer exist are left out."""
    ids = sorted(set(concern_ids))
    profiles: dict[int, ConcernProfile] = {}
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        concerns = Concern.objects.filter(pk__in=part).values_list("pk", "reference", "received_at")
        identifiers = list(
            Identifier.objects.filter(concern_id__in=part, status=Identifier.Status.ACTIVE)
            .only("id", "concern_id", "kind", "role", "value", "normal", "normalised", "details")
            .order_by("concern_id", "id")
        )
        keys: dict[int, list[tuple[str, str]]] = {}
        for identifier_id, kind, index in IdentifierKey.objects.filter(concern_id__in=part).values_list(
            "identifier_id", "kind", "index"
        ):
            keys.setdefault(identifier_id, []).append((kind, index))
        mentions: dict[int, list[Mention]] = {}
        for identifier in identifiers:
            mentions.setdefault(identifier.concern_id, []).append(
                mention_from(identifier, keys.get(identifier.pk, ()))
            )
        for pk, reference, received_at in concerns:
            profiles[pk] = ConcernProfile(pk, reference, received_at, tuple(mentions.get(pk, ())))
    return profiles
