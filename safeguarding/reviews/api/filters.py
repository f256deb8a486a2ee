"""Query-string filters of the JSON API: the same names and meanings as the filters on the public pages.

As on the site, a filter may be repeated to match any of its values (`?audience=children&audience=adults`),
and different filters must all match. A value in the wrong form (an unknown choice, a slug with spaces,
a search over 200 characters, an empty value) is a 400 with a message per parameter. A well-formed
slug that names nothing simply matches nothing. An empty search (`q=`) filters nothing.
"""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, validate_slug
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django_filters import rest_framework as filters

from safeguarding.reviews.models import Recommendation, Review
from safeguarding.reviews.selectors import audience_values

from .selectors import recommendation_ids_matching, review_ids_matching, reviews_with_recommendations

SEARCH_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 100

AUDIENCE_HELP = (
    "Who the recommendation is for. `children` and `adults` include recommendations for both; "
    "`both` gives only those for children and adults together."
)


class SlugListField(forms.Field):
    """Every value of a repeated parameter, each one a slug (letters, numbers, hyphens, underscores)."""

    widget = forms.MultipleHiddenInput  # reads all the values of the parameter, not only the last

    def to_python(self, value: Any) -> list[str]:
        return [str(item) for item in value] if value else []

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        for item in value:
            # Not stripped: "tsab\n" is not a slug, and saying so is clearer than quietly reading "tsab".
            validate_slug(item)
            MaxLengthValidator(SLUG_MAX_LENGTH)(item)


class SlugListFilter(filters.Filter):
    field_class = SlugListField


class ChoiceListFilter(filters.MultipleChoiceFilter):
    """Any of the given choices, as one `IN` condition (which needs no DISTINCT)."""

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class StrictFilterSet(filters.FilterSet):
    """A filter set in which an empty value is an error rather than no filter (except for `q`).

    `?theme=` is most likely a client's bug; ignoring it would return everything without saying so.
    """

    EMPTY_ALLOWED = frozenset({"q"})
    data: QueryDict  # the API's filter backend always gives the query string

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.EMPTY_ALLOWED or name not in self.data:
                continue
            if any(not str(value).strip() for value in self.data.getlist(name)):
                # This message, rather than the field's own ("Select a valid choice.  is not one of...").
                self.form.errors[name] = self.form.error_class(["Give a value, or leave this parameter out."])
                valid = False
        return valid


class ReviewFilter(StrictFilterSet):
    q = filters.CharFilter(
        method="filter_q",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words to search for in reviews and their recommendations (full text).",
    )
    review_type = ChoiceListFilter(choices=Review.Type.choices, help_text="The type of review.")
    theme = SlugListFilter(method="filter_theme", help_text="Slug of a theme one of its recommendations has.")
    audience = filters.MultipleChoiceFilter(
        choices=Recommendation.Audience.choices,
        method="filter_audience",
        help_text="Reviews with at least one recommendation for this audience. " + AUDIENCE_HELP,
    )
    board = SlugListFilter(method="filter_board", help_text="Slug of a board that commissioned the review.")

    class Meta:
        model = Review
        fields = ["q", "review_type", "theme", "audience", "board"]

    def filter_q(self, queryset: QuerySet[Review], name: str, value: str) -> QuerySet[Review]:
        return queryset.filter(pk__in=review_ids_matching(query=value))

    def filter_theme(self, queryset: QuerySet[Review], name: str, value: list[str]) -> QuerySet[Review]:
        return queryset.filter(reviews_with_recommendations(condition=Q(themes__slug__in=value)))

    def filter_audience(self, queryset: QuerySet[Review], name: str, value: list[str]) -> QuerySet[Review]:
        condition = Q(audience__in=audience_values(value))
        return queryset.filter(reviews_with_recommendations(condition=condition))

    def filter_board(self, queryset: QuerySet[Review], name: str, value: list[str]) -> QuerySet[Review]:
        # A subquery, not a join: a review commissioned by both boards asked for must appear once.
        boards = Review.boards.through.objects.filter(review=OuterRef("pk"), board__slug__in=value)
        return queryset.filter(Exists(boards))


class RecommendationFilter(StrictFilterSet):
    """Filters for the recommendations of one review (the `review` filter is added for the list of all)."""

    q = filters.CharFilter(
        method="filter_q",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words to search for in recommendations and their learning (full text).",
    )
    audience = filters.MultipleChoiceFilter(
        choices=Recommendation.Audience.choices, method="filter_audience", help_text=AUDIENCE_HELP
    )
    theme = SlugListFilter(method="filter_theme", help_text="Slug of one of its themes.")
    addressee = ChoiceListFilter(
        choices=Recommendation.Addressee.choices,
        help_text="Whom it is addressed to: local agencies or national bodies.",
    )
    status = ChoiceListFilter(
        field_name="public_status",
        choices=Recommendation.PublicStatus.choices,
        help_text="Its current public status.",
    )

    class Meta:
        model = Recommendation
        fields = ["q", "audience", "theme", "addressee", "status"]

    def filter_q(self, queryset: QuerySet[Recommendation], name: str, value: str) -> QuerySet[Recommendation]:
        return queryset.filter(pk__in=recommendation_ids_matching(query=value))

    def filter_audience(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        return queryset.filter(audience__in=audience_values(value))

    def filter_theme(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        # A subquery, not a join: a recommendation with two of the themes asked for must appear once.
        themes = Recommendation.themes.through.objects.filter(
            recommendation=OuterRef("pk"), theme__slug__in=value
        )
        return queryset.filter(Exists(themes))


class AllRecommendationFilter(RecommendationFilter):
    review = SlugListFilter(field_name="review__slug", lookup_expr="in", help_text="Slug of the review.")

    class Meta(RecommendationFilter.Meta):
        fields = ["review", *RecommendationFilter.Meta.fields]
