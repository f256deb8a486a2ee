"""Logged errors say where they happened but never quote what a person typed."""

import logging

from django.db import IntegrityError

from safeguarding.core.logging import WITHHELD, WithholdExceptionMessages

CANARY = "Zephyrine Quillbrook 07700 900417"


def _formatted(error: Exception) -> str:
    try:
        raise error
    except type(error) as caught:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Failed",
            None,
            (type(caught), caught, caught.__traceback__),
        )
    WithholdExceptionMessages().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_a_logged_error_keeps_its_type_and_place_but_not_its_message():
    text = _formatted(IntegrityError(f"Key (name)=({CANARY}) already exists"))
    assert CANARY not in text
    assert "django.db.utils.IntegrityError" in text
    assert WITHHELD in text
    assert "test_logging.py" in text


def test_the_errors_behind_it_lose_their_messages_too():
    try:
        try:
            raise ValueError(CANARY)
        except ValueError as inner:
            raise RuntimeError(f"wrapping {CANARY}") from inner
    except RuntimeError as outer:
        text = _formatted(outer)
    assert CANARY not in text
    assert "builtins.ValueError" in text
    assert "builtins.RuntimeError" in text


def test_the_site_logging_uses_the_filter(settings):
    assert "withhold_messages" in settings.LOGGING["handlers"]["console"]["filters"]
