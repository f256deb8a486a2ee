"""Helpers for concern tests: answers to submit, and a raw look at every table in the database."""

import uuid
from typing import Any

from django.db import connection

# Canaries: fictional values that must never appear in plain text anywhere in the database.
CANARY_NARRATIVE = "Canary narrative: Zephyrine Quillbrook was driven to Larkspur Lodge"
CANARY_NAME = "Zephyrine Quillbrook"
CANARY_NICKNAME = "Zeph Q Canary"
CANARY_PHONE = "07700 900417"
CANARY_PHONE_E164 = "+447700900417"
CANARY_REGISTRATION = "QX71 ZKV"
CANARY_ADDRESS = "14 Canary Wharfside Row, Testborough"
CANARY_HANDLE = "@zephyrine_canary"


def answers(**overrides: Any) -> dict[str, Any]:
    """A minimal valid public concern, with `overrides` applied."""
    data: dict[str, Any] = {
        "immediate_danger": False,
        "about": "child",
        "narrative": "A fictional account of what is happening, for a test.",
    }
    data.update(overrides)
    return data


def canary_answers(**overrides: Any) -> dict[str, Any]:
    """A concern that carries every canary, in every kind of personal field."""
    return answers(
        about="adult",
        narrative=CANARY_NARRATIVE,
        signs=["vehicles", "taken_to_addresses"],
        where_and_when="Most Friday evenings near the canary bus station",
        people=[
            {"role": "at_risk", "name": CANARY_NAME, "nicknames": CANARY_NICKNAME, "age": 19},
            {
                "role": "harming",
                "name": "Orrin Canaryman",
                "date_of_birth": "1990-02-03",
                "description": "tall",
            },
        ],
        vehicles=[{"registration": CANARY_REGISTRATION, "description": "silver hatchback"}],
        phones=[{"number": CANARY_PHONE}],
        places=[{"venue": "Larkspur Lodge", "address": CANARY_ADDRESS, "postcode": "TE1 9ZZ"}],
        online_accounts=[{"platform": "Snapchat", "handle": CANARY_HANDLE}],
        reporter={"anonymous": False, "name": "Wilhelmina Canaryreporter", "contact": "0191 498 0417"},
        adult_knows="no",
        adult_wants="Canary wants: to be safe at home",
        **overrides,
    )


def new_key() -> str:
    return f"test-{uuid.uuid4()}"


def database_text() -> str:
    """Every value of every column of every table, as one string: what a raw look at the database sees."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from introspection)
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)
