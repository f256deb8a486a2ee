"""The quarter in an address: "2026-q1". Anything else does not match, so it is a 404."""

from typing import Any

from django.urls import register_converter


class QuarterConverter:
    regex = r"20[0-9]{2}-q[1-4]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: Any) -> str:
        return str(value)


# The name in paths: <statistics_quarter:quarter> (converters are global, so the name is the app's).
QUARTER = "statistics_quarter"
register_converter(QuarterConverter, QUARTER)
