"""Cleaning identifiers as people type them, with the libraries of the field, so that equal things compare
equal: phones (phonenumbers), UK registrations, postcodes, places, online handles, names (anyascii and
jellyfish for the phonetic code) and ages.

Every function takes any text and never raises. What cannot be cleaned comes back with `ok=False` and the
text kept as typed (trimmed), so the caller stores it marked "not normalised", never drops it.
Bump NORMALISER_VERSION when a rule changes: `manage.py reindex_identifiers` then rewrites the keys.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

import jellyfish
import phonenumbers
from anyascii import anyascii

# Ages are read by core.ages, shared with the answers of a concern; re-exported for linking.
from safeguarding.core.ages import AgeRange as AgeRange
from safeguarding.core.ages import age_parse as age_parse

NORMALISER_VERSION = 2
MAX_LENGTH = 500  # longer text is cut before cleaning: no identifier is that long


@dataclass(frozen=True)
class Cleaned:
    value: str  # the cleaned form, or the text as typed (trimmed) when `ok` is False
    ok: bool


def _text(raw: object) -> str:
    """Any input as one line of readable text: control, format (right-to-left marks, zero-width) and
    combining characters dropped, so that Zalgo text and hidden marks do not make two values differ."""
    text = str(raw or "")[:MAX_LENGTH]
    text = unicodedata.normalize("NFKC", text)
    kept = [c for c in text if unicodedata.category(c)[0] not in ("C", "M")]
    return " ".join("".join(kept).split())


# --- Phones ------------------------------------------------------------------------------------------


def phone_clean(raw: object, *, region: str = "GB") -> Cleaned:
    """E.164 ("+447700900123") for anything phonenumbers can read as a possible number in `region` by
    default: "+44 (0)7700 900123", "7700 900123", "0044 7700 900123", "07700 900123 ext 12" (the
    extension is dropped: it is the same line). Numbers reserved for drama count: they are possible."""
    text = _text(raw)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return Cleaned(text, False)
    if not _whole_number(number):
        return Cleaned(text, False)
    return Cleaned(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True)


def _whole_number(number: phonenumbers.PhoneNumber) -> bool:
    """A number in use (valid), or one of full length for its country: the reserved drama ranges
    ("07700 900123") are not valid but are whole numbers. Too short to be whole ("07700 900", "12345", a
    local number without its area code) is not cleaned: the same digits could be many lines."""
    if phonenumbers.is_valid_number(number):
        return True
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return False
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None or not metadata.general_desc.possible_length:
        return False
    national = phonenumbers.national_significant_number(number)
    return len(national) == max(metadata.general_desc.possible_length)


def phone_digits(raw: object) -> str:
    """The digits of what was typed, for a number that could not be cleaned (still worth matching)."""
    return re.sub(r"\D", "", _text(raw))


# --- Vehicles ----------------------------------------------------------------------------------------

# Characters people misread for each other on a plate: a match through these is only ever possible.
_LOOKALIKE = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})
# The UK formats since 2001, and the older prefix, suffix and dateless ones; Northern Ireland's too.
_UK_REGISTRATION = re.compile(
    r"^(?:[A-Z]{2}[0-9]{2}[A-Z]{3}|[A-Z][0-9]{1,3}[A-Z]{3}|[A-Z]{3}[0-9]{1,3}[A-Z]|"
    r"[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3}|[A-Z]{1,3}[0-9]{1,4}[A-Z]?)$"
)


def registration_squashed(raw: object) -> str:
    """Letters and digits of what was typed, in capitals ("ab-12 cde" -> "AB12CDE")."""
    return re.sub(r"[^A-Z0-9]", "", anyascii(_text(raw)).upper())


def registration_clean(raw: object) -> Cleaned:
    """A registration in capitals without spaces or punctuation ("ab12 cde" -> "AB12CDE"). ok=False,
    kept as typed, when what is left is not in a UK shape (it is still matched exactly, squashed)."""
    text = _text(raw)
    letters = registration_squashed(text)
    if not (letters and _UK_REGISTRATION.match(letters) and 2 <= len(letters) <= 8):
        return Cleaned(text, False)
    return Cleaned(letters, True)


def registration_lookalike(cleaned: str) -> str:
    """The registration with letters people misread as digits replaced ("AB12 CDE" -> "8812CDE"... the
    same for "A812 CDE"): equal lookalikes give a possible link, never a stronger one."""
    return cleaned.upper().translate(_LOOKALIKE)


# --- Postcodes and places ----------------------------------------------------------------------------

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")


def postcode_clean(raw: object) -> Cleaned:
    """A full UK postcode as "NE1 4ST", or a district alone as "NE1"; ok=False for anything else."""
    text = _text(raw)
    squashed = re.sub(r"[^A-Z0-9 ]", "", anyascii(text).upper()).strip()
    match = _POSTCODE.match(squashed)
    if match:
        return Cleaned(f"{match.group(1)} {match.group(2)}", True)
    if _DISTRICT.match(squashed.replace(" ", "")):
        return Cleaned(squashed.replace(" ", ""), True)
    return Cleaned(text, False)


def postcode_district(cleaned: str) -> str:
    """The district of a cleaned postcode ("NE1 4ST" -> "NE1")."""
    return cleaned.split(" ", 1)[0]


def place_clean(raw: object) -> Cleaned:
    """A venue or address for exact matching: case, accents, punctuation and spacing ignored, and
    common words written one way ("St" and "Street", "Rd" and "Road")."""
    text = _text(raw)
    words = re.sub(r"[^a-z0-9 ]", " ", anyascii(text).lower()).split()
    expanded = [_PLACE_WORDS.get(word, word) for word in words]
    if not expanded:
        return Cleaned(text, False)
    return Cleaned(" ".join(expanded), True)


_PLACE_WORDS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "ln": "lane",
    "dr": "drive",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "flt": "flat",
    "apt": "flat",
    "apartment": "flat",
}


# --- Online accounts ---------------------------------------------------------------------------------

_PLATFORMS = {
    "snap": "snapchat",
    "snapchat": "snapchat",
    "insta": "instagram",
    "ig": "instagram",
    "instagram": "instagram",
    "fb": "facebook",
    "facebook": "facebook",
    "tiktok": "tiktok",
    "tik tok": "tiktok",
    "whatsapp": "whatsapp",
    "whats app": "whatsapp",
    "telegram": "telegram",
    "x": "x",
    "twitter": "x",
    "discord": "discord",
}


def platform_clean(raw: object) -> str:
    """The platform's usual name in lower case ("Insta" -> "instagram"); anything else as typed, lower."""
    text = " ".join(anyascii(_text(raw)).lower().split())
    return _PLATFORMS.get(text, text)


def handle_clean(raw: object) -> Cleaned:
    """A handle without a leading @ or a profile address, in lower case ("@Zeph_Q" -> "zeph_q")."""
    text = _text(raw)
    handle = anyascii(text).strip().lower()
    handle = re.sub(r"^https?://(www\.)?[^/]+/", "", handle).strip("/")
    handle = handle.lstrip("@").strip()
    if not handle or " " in handle or len(handle) > 100:
        return Cleaned(text, False)
    return Cleaned(handle, True)


# --- People ------------------------------------------------------------------------------------------


def name_clean(raw: object) -> Cleaned:
    """A name as words in lower case ASCII ("Muḥammad  ALY-Khan" -> "muhammad aly khan")."""
    text = _text(raw)
    words = re.sub(r"[^a-z ]", " ", anyascii(text).lower()).split()
    if not words:
        return Cleaned(text, False)
    return Cleaned(" ".join(words), True)


def names_split(raw: object) -> list[str]:
    """Several names typed in one box ("Zeph, Z, or Zephy") as separate values, in order, once each."""
    parts = re.split(r"[,;/\n]|\band\b|\bor\b|\baka\b|\balso known as\b", _text(raw), flags=re.IGNORECASE)
    seen: dict[str, None] = {}
    for part in parts:
        cleaned = " ".join(part.split()).strip(" '\"()")
        if cleaned and cleaned.lower() not in (s.lower() for s in seen):
            seen[cleaned] = None
    return list(seen)


def name_phonetic(cleaned_name: str) -> list[str]:
    """The metaphone code of each word of a cleaned name ("mohammed ali" -> ["MHMT", "AL"])."""
    return [code for word in cleaned_name.split() if (code := jellyfish.metaphone(word))]


def name_block(cleaned_name: str) -> str:
    """The blocking code of a name: the phonetic codes of its first and last words, or of its one word.
    Two names that could be the same person share it ("mohammed ali", "muhammad aly": "MHMT AL")."""
    codes = name_phonetic(cleaned_name)
    if not codes:
        return ""
    return codes[0] if len(codes) == 1 else f"{codes[0]} {codes[-1]}"


def date_of_birth_parse(raw: object) -> datetime.date | None:
    """An ISO date of birth (as the answers store it), or None."""
    try:
        return datetime.date.fromisoformat(_text(raw))
    except ValueError:
        return None


def birth_years(
    *, age: AgeRange | None, date_of_birth: datetime.date | None, on: datetime.date
) -> AgeRange | None:
    """The years the person can have been born in, from a date of birth or an age on a date."""
    if date_of_birth is not None:
        return AgeRange(date_of_birth.year, date_of_birth.year)
    if age is None:
        return None
    # Someone aged N on a date was born in that year minus N, or the year before.
    return AgeRange(on.year - age.high - 1, on.year - age.low)


def postcodes_in_text(text: str) -> list[str]:
    """Full postcodes found in free text, cleaned."""
    return [f"{a} {b}" for a, b in _POSTCODE_IN_TEXT.findall(anyascii(_text(text)).upper())]
