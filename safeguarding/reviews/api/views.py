"""The read-only JSON API over published reviews, recommendations and themes.

Each view reads through api/selectors.py and filters through api/filters.py. Only GET and HEAD are
allowed: anything else is 405. Errors are JSON: 400 `{"<parameter>": ["<message>"]}`, 404 and 405
`{"detail": "<message>"}`.
"""

from typing import Literal, cast

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.exceptions import NotFound

from safeguarding.reviews.models import Recommendation, Review, Theme

from . import selectors
from .filters import (
    SEARCH_MAX_LENGTH,
    SLUG_MAX_LENGTH,
    AllRecommendationFilter,
    RecommendationFilter,
    ReviewFilter,
)
from .pagination import ToolkitPagination
from .serializers import (
    RecommendationSerializer,
    ReviewDetailSerializer,
    ReviewSummarySerializer,
    ThemeSerializer,
)

# A CharField's max_length, which it always has (Field.max_length is typed as optional).
REFERENCE_MAX_LENGTH = cast(int, Recommendation._meta.get_field("reference").max_length)
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

# --- Schema pieces shared by the endpoints ---------------------------------------------------------
DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERROR_DETAIL = OpenApiResponse(response=DETAIL_SCHEMA, description="Not found.")
PAGE_NOT_FOUND = OpenApiResponse(
    response=DETAIL_SCHEMA, description="The page asked for is past the last page of results."
)
REVIEW_OR_PAGE_NOT_FOUND = OpenApiResponse(
    response=DETAIL_SCHEMA, description="No published review has this slug, or the page is past the last."
)
ERROR_INVALID = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="A query parameter is not valid: each one named, with what is wrong with it.",
    examples=[
        OpenApiExample(
            "Unknown audience",
            value={"audience": ["Select a valid choice. teenagers is not one of the available choices."]},
        )
    ],
)


def _slug_parameter(
    name: str, description: str, example: str, location: Literal["query", "path"] = OpenApiParameter.QUERY
) -> OpenApiParameter:
    slug = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH}
    if location == OpenApiParameter.PATH:
        return OpenApiParameter(
            name,
            slug,
            location=location,
            required=True,
            description=description,
            examples=[OpenApiExample(example, value=example)],
        )
    # In the query, repeat the parameter to match any of several values, as on the site.
    return OpenApiParameter(
        name,
        {"type": "array", "items": slug},
        style="form",
        explode=True,
        description=f"{description} Repeat it to match any of several.",
        examples=[OpenApiExample(example, value=[example])],
    )


def _search_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "q",
        # NUL is the one character a form field refuses: no database can store or search for it.
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": r"^[^\x00]*$"},
        description=(
            f"Words to search for, full text, in {what}. Up to {SEARCH_MAX_LENGTH} characters. "
            'All the words must match; "quotes" find a phrase, `or` goes between words, '
            "`-word` leaves a word out."
        ),
        examples=[OpenApiExample("Search", value="transition to adulthood")],
    )


REVIEW_SLUG_PATH = _slug_parameter(
    "slug", "The review's slug.", "newcastle-jscr-2018", location=OpenApiParameter.PATH
)
THEME_FILTER = _slug_parameter("theme", "Slug of a theme (see /api/v1/themes/).", "transition-to-adulthood")
RECOMMENDATION_FILTERS = [
    _search_parameter("recommendations and their learning"),
    THEME_FILTER,
]


# --- Reviews ---------------------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(
        operation_id="reviews_list",
        summary="List published reviews",
        description="Published reviews, newest first, with their boards and number of recommendations.",
        parameters=[
            _search_parameter("reviews and their recommendations"),
            THEME_FILTER,
            _slug_parameter("board", "Slug of a board that commissioned the review.", "nscp"),
        ],
        responses={200: ReviewSummarySerializer(many=True), 400: ERROR_INVALID, 404: PAGE_NOT_FOUND},
        tags=["reviews"],
    )
)
class ReviewListView(generics.ListAPIView):
    http_method_names = ["get", "head"]
    serializer_class = ReviewSummarySerializer
    filterset_class = ReviewFilter
    pagination_class = ToolkitPagination

    def get_queryset(self) -> QuerySet[Review]:
        return selectors.review_list()


@extend_schema_view(
    get=extend_schema(
        operation_id="reviews_retrieve",
        summary="One review, with its recommendations",
        description=(
            "A published review: boards, milestones, findings, every recommendation in full, themes, "
            "resources, media with transcripts, and links to its pages."
        ),
        parameters=[REVIEW_SLUG_PATH],
        responses={200: ReviewDetailSerializer, 404: ERROR_DETAIL},
        tags=["reviews"],
    )
)
class ReviewDetailView(generics.RetrieveAPIView):
    http_method_names = ["get", "head"]
    serializer_class = ReviewDetailSerializer

    def get_object(self) -> Review:
        review = selectors.review_get(slug=self.kwargs["slug"])
        if review is None:
            raise NotFound("No published review has this slug.")
        return review


# --- Recommendations -------------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(
        operation_id="recommendations_list",
        summary="List recommendations across all published reviews",
        description="In review order (newest review first), then in the order of each report.",
        parameters=[
            *RECOMMENDATION_FILTERS,
            _slug_parameter("review", "Slug of the review.", "newcastle-jscr-2018"),
        ],
        responses={200: RecommendationSerializer(many=True), 400: ERROR_INVALID, 404: PAGE_NOT_FOUND},
        tags=["recommendations"],
    )
)
class RecommendationListView(generics.ListAPIView):
    http_method_names = ["get", "head"]
    serializer_class = RecommendationSerializer
    filterset_class = AllRecommendationFilter
    pagination_class = ToolkitPagination

    def get_queryset(self) -> QuerySet[Recommendation]:
        return selectors.recommendation_list()


@extend_schema_view(
    get=extend_schema(
        operation_id="reviews_recommendations_list",
        summary="List the recommendations of one review",
        description="In the order of the report. The same filters as the list of all recommendations.",
        parameters=[REVIEW_SLUG_PATH, *RECOMMENDATION_FILTERS],
        responses={
            200: RecommendationSerializer(many=True),
            400: ERROR_INVALID,
            404: REVIEW_OR_PAGE_NOT_FOUND,
        },
        tags=["recommendations"],
    )
)
class ReviewRecommendationListView(generics.ListAPIView):
    http_method_names = ["get", "head"]
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    pagination_class = ToolkitPagination

    def get_queryset(self) -> QuerySet[Recommendation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request to answer
            return Recommendation.objects.none()
        slug = self.kwargs["slug"]
        if not selectors.review_exists(slug=slug):
            raise NotFound("No published review has this slug.")
        return selectors.recommendation_list(review_slug=slug)


@extend_schema_view(
    get=extend_schema(
        operation_id="reviews_recommendations_retrieve",
        summary="One recommendation, with all its learning",
        parameters=[
            REVIEW_SLUG_PATH,
            OpenApiParameter(
                "reference",
                {"type": "string", "minLength": 1, "maxLength": REFERENCE_MAX_LENGTH},
                location=OpenApiParameter.PATH,
                description="Its reference in the review, such as `12` or `N1`.",
                examples=[OpenApiExample("N1", value="N1")],
            ),
        ],
        responses={200: RecommendationSerializer, 404: ERROR_DETAIL},
        tags=["recommendations"],
    )
)
class RecommendationDetailView(generics.RetrieveAPIView):
    http_method_names = ["get", "head"]
    serializer_class = RecommendationSerializer

    def get_object(self) -> Recommendation:
        reference = self.kwargs["reference"]
        # A reference longer than the column, or with a NUL (which PostgreSQL refuses), names nothing.
        recommendation = None
        if len(reference) <= REFERENCE_MAX_LENGTH and "\x00" not in reference:
            recommendation = selectors.recommendation_get(
                review_slug=self.kwargs["slug"], reference=reference
            )
        if recommendation is None:
            raise NotFound("This review has no published recommendation with this reference.")
        return recommendation


# --- Themes ----------------------------------------------------------------------------------------
@extend_schema_view(
    get=extend_schema(
        operation_id="themes_list",
        summary="List themes",
        description="Themes of recommendations in published reviews, by name, with how often each is used.",
        responses={200: ThemeSerializer(many=True), 400: ERROR_INVALID, 404: PAGE_NOT_FOUND},
        tags=["themes"],
    )
)
class ThemeListView(generics.ListAPIView):
    http_method_names = ["get", "head"]
    serializer_class = ThemeSerializer
    pagination_class = ToolkitPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Theme]:
        return selectors.theme_list()


# --- Anything else under /api/v1/ ------------------------------------------------------------------
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """A JSON 404 for paths under /api/v1/ that name no endpoint, instead of the HTML error page."""
    return JsonResponse({"detail": "There is no API endpoint at this address."}, status=404)
