"""Normal forms of identifiers typed into a concern, so that the same vehicle or phone matches.

Only the blind index of a normal form is stored in plain columns; the value itself is encrypted.
Deliberately simple for now: the linking work (capability 4) may widen them.
"""

import re

from safeguarding.core.crypto import blind_index

VEHICLE_PURPOSE = "concerns.concernvehicle.registration_index"
PHONE_PURPOSE = "concerns.concernphone.number_index"


def registration_normalise(text: str) -> str:
    """A UK registration in capitals with no spaces or punctuation ("ab12 cde" -> "AB12CDE")."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def phone_normalise(text: str) -> str:
    """A UK or international number in E.164 ("07700 900123" -> "+447700900123"), or "" if unclear."""
    stripped = text.strip()
    digits = re.sub(r"\D", "", stripped)
    if stripped.startswith("+"):
        number = "+" + digits
    elif digits.startswith("00"):
        number = "+" + digits[2:]
    elif digits.startswith("44"):
        number = "+" + digits
    elif digits.startswith("0"):
        number = "+44" + digits[1:]
    else:
        return ""
    # E.164 allows at most 15 digits; UK numbers have 10 after the country code.
    if number.startswith("+44") and len(number) != 13:
        return ""
    return number if 8 <= len(number) <= 16 else ""


def registration_index(text: str) -> str:
    normal = registration_normalise(text)
    return blind_index(normal, purpose=VEHICLE_PURPOSE) if normal else ""


def phone_index(text: str) -> str:
    normal = phone_normalise(text)
    return blind_index(normal, purpose=PHONE_PURPOSE) if normal else ""
