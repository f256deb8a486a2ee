"""Page-number pagination that says 400 for a malformed page number, and lets a client choose the size."""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

MAX_PAGE_SIZE = 100
# A bound on page numbers keeps absurd values (thousands of digits) away from int().
MAX_PAGE = 100_000


class ToolkitPagination(PageNumberPagination):
    """`?page=2&page_size=20`. A page past the end is 404, as in DRF; a page that is not a number is 400."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        errors: dict[str, list[str]] = {}
        for name, upper in ((self.page_query_param, MAX_PAGE), (self.page_size_query_param, MAX_PAGE_SIZE)):
            raw = request.query_params.get(name)
            if raw is None:
                continue
            valid = (
                raw.isascii() and raw.isdecimal() and len(raw) <= len(str(upper)) and 1 <= int(raw) <= upper
            )
            if not valid:
                errors[name] = [f"Give a whole number from 1 to {upper}."]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Which page of results, from 1. A page past the last one is 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results a page holds: 1 to {MAX_PAGE_SIZE}, {self.page_size} if not given.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
