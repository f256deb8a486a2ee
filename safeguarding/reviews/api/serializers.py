"""How reviews, recommendations and themes look in the JSON API.

Read-only. Long text fields carry the Markdown the partnership wrote, unrendered. A choice is given
twice: its stable value (for filtering and code) and its label (for people). Links are absolute URLs.
"""

from typing import Any, cast

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import (
    Finding,
    Media,
    Recommendation,
    Resource,
    Review,
    ReviewMilestone,
    Theme,
)


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class OptionalURLField(serializers.URLField):
    """A link that may not have been given: null rather than an empty string, so it is always a URL."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> str | None:
        # None is given as null without calling to_representation, so an empty link becomes null.
        return super().get_attribute(instance) or None


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    # Every field read-only, so the schema marks each one as always present in responses.

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class BoardSerializer(ReadOnlyModelSerializer):
    """A board that commissioned a review: the children's partnership or the adults' board."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    website = OptionalURLField()

    class Meta:
        model = Board
        fields = ["slug", "name", "short_name", "kind", "kind_label", "website"]


class AgencySerializer(ReadOnlyModelSerializer):
    """An agency that leads on a recommendation."""

    sector_label = serializers.CharField(source="get_sector_display", read_only=True)

    class Meta:
        model = Agency
        fields = ["slug", "name", "sector", "sector_label"]


class ThemeSummarySerializer(ReadOnlyModelSerializer):
    """A theme, in brief."""

    class Meta:
        model = Theme
        fields = ["slug", "name"]


class MilestoneSerializer(ReadOnlyModelSerializer):
    """A dated event in the life of a review, known to the day, the month or the year."""

    date = serializers.DateField(read_only=True, help_text="Read it with `precision`: day, month or year.")

    class Meta:
        model = ReviewMilestone
        fields = ["date", "precision", "title", "description"]


class FindingSerializer(ReadOnlyModelSerializer):
    """Something the review found (Markdown text)."""

    class Meta:
        model = Finding
        fields = ["reference", "title", "text"]


class FindingSummarySerializer(ReadOnlyModelSerializer):
    """The finding behind a recommendation, in brief."""

    class Meta:
        model = Finding
        fields = ["reference", "title"]


class ResourceSerializer(ReadOnlyModelSerializer):
    """A link to guidance, training or a service."""

    url = OptionalURLField()

    class Meta:
        model = Resource
        fields = ["title", "url", "description"]


class MediaSerializer(ReadOnlyModelSerializer):
    """A video or audio recording about the review, with its transcript."""

    url = serializers.SerializerMethodField(help_text="Where to watch or listen: on this site, or elsewhere.")

    class Meta:
        model = Media
        fields = ["kind", "title", "url", "duration", "transcript"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, media: Media) -> str | None:
        if media.file:
            return _absolute(self, media.file.url)
        return media.url or None


class ReviewReferenceSerializer(ReadOnlyModelSerializer):
    """The review a recommendation belongs to, in brief."""

    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["slug", "short_title", "title", "api_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, review: Review) -> str:
        return _absolute(self, reverse("api:review-detail", kwargs={"slug": review.slug}))


class RecommendationLinksSerializer(serializers.Serializer):
    """Where to find the recommendation."""

    html = serializers.SerializerMethodField(help_text="The recommendation's page on the public site.")
    api = serializers.SerializerMethodField(help_text="This recommendation in the API.")

    def _url_kwargs(self, recommendation: Recommendation) -> dict[str, str]:
        return {"slug": recommendation.review.slug, "reference": recommendation.reference}

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, recommendation: Recommendation) -> str:
        return _absolute(self, reverse("reviews:recommendation", kwargs=self._url_kwargs(recommendation)))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api(self, recommendation: Recommendation) -> str:
        return _absolute(self, reverse("api:recommendation-detail", kwargs=self._url_kwargs(recommendation)))


class RecommendationSerializer(ReadOnlyModelSerializer):
    """A recommendation with all its learning."""

    review = ReviewReferenceSerializer(read_only=True)
    finding = FindingSummarySerializer(read_only=True, allow_null=True, help_text="The finding behind it.")
    addressee_label = serializers.CharField(source="get_addressee_display", read_only=True)
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)
    public_status_label = serializers.CharField(source="get_public_status_display", read_only=True)
    lead_agencies = AgencySerializer(many=True, read_only=True)
    themes = ThemeSummarySerializer(many=True, read_only=True)
    reflective_questions = serializers.ListField(child=serializers.CharField(), read_only=True)
    resources = ResourceSerializer(many=True, read_only=True)
    links = RecommendationLinksSerializer(source="*", read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "reference",
            "reference_is_provisional",
            "title",
            "text",
            "why",
            "finding",
            "addressee",
            "addressee_label",
            "addressed_to",
            "audience",
            "audience_label",
            "lead_agencies",
            "themes",
            "what_changed",
            "practice_learning",
            "reflective_questions",
            "public_status",
            "public_status_label",
            "public_status_note",
            "resources",
            "updated_at",
            "review",
            "links",
        ]


class ReviewLinksSerializer(serializers.Serializer):
    """Where to find the review and its briefing."""

    html = serializers.SerializerMethodField(help_text="The review's page on the public site.")
    briefing = serializers.SerializerMethodField(help_text="The printable 7-minute briefing.")
    briefing_pdf = serializers.SerializerMethodField(help_text="The 7-minute briefing as a PDF.")
    api = serializers.SerializerMethodField(help_text="This review in the API.")
    recommendations = serializers.SerializerMethodField(
        help_text="Its recommendations in the API, filterable."
    )

    def _url(self, name: str, review: Review) -> str:
        return _absolute(self, reverse(name, kwargs={"slug": review.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, review: Review) -> str:
        return self._url("reviews:detail", review)

    @extend_schema_field(OpenApiTypes.URI)
    def get_briefing(self, review: Review) -> str:
        return self._url("reviews:briefing", review)

    @extend_schema_field(OpenApiTypes.URI)
    def get_briefing_pdf(self, review: Review) -> str:
        return self._url("reviews:briefing-pdf", review)

    @extend_schema_field(OpenApiTypes.URI)
    def get_api(self, review: Review) -> str:
        return self._url("api:review-detail", review)

    @extend_schema_field(OpenApiTypes.URI)
    def get_recommendations(self, review: Review) -> str:
        return self._url("api:review-recommendation-list", review)


class ReviewSummarySerializer(ReadOnlyModelSerializer):
    """A review as it appears in a list."""

    review_type_label = serializers.CharField(source="get_review_type_display", read_only=True)
    boards = BoardSerializer(many=True, read_only=True)
    # Typed as any field: ReviewDetailSerializer counts the prefetched recommendations instead.
    recommendation_count: serializers.Field = serializers.IntegerField(read_only=True)
    is_demo = serializers.BooleanField(
        read_only=True, help_text="True for training or demonstration content: not a real review."
    )
    links = ReviewLinksSerializer(source="*", read_only=True)

    class Meta:
        model = Review
        fields = [
            "slug",
            "title",
            "short_title",
            "review_type",
            "review_type_label",
            "published_on",
            "summary",
            "is_demo",
            "boards",
            "recommendation_count",
            "links",
        ]


class ReviewDetailSerializer(ReviewSummarySerializer):
    """A review with its findings, recommendations and everything else published about it."""

    recommendation_count = serializers.SerializerMethodField()
    report_url = OptionalURLField(help_text="The published report.")
    briefing_questions = serializers.ListField(child=serializers.CharField(), read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    themes = serializers.SerializerMethodField(help_text="Every theme of its recommendations.")
    resources = ResourceSerializer(many=True, read_only=True, source="review_resources")
    media = MediaSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)

    class Meta(ReviewSummarySerializer.Meta):
        fields = [
            *ReviewSummarySerializer.Meta.fields,
            "commissioned",
            "period_covered",
            "reviewer",
            "review_team",
            "background",
            "recommendations_summary",
            "content_note",
            "report_url",
            "report_description",
            "briefing_key_learning",
            "briefing_for_you",
            "briefing_questions",
            "updated_at",
            "milestones",
            "findings",
            "themes",
            "resources",
            "media",
            "recommendations",
        ]

    def get_recommendation_count(self, review: Review) -> int:
        return len(review.recommendations.all())

    @extend_schema_field(ThemeSummarySerializer(many=True))
    def get_themes(self, review: Review) -> list[dict[str, Any]]:
        themes = {theme.pk: theme for rec in review.recommendations.all() for theme in rec.themes.all()}
        ordered = sorted(themes.values(), key=lambda theme: theme.name)
        data = ThemeSummarySerializer(ordered, many=True, context=self.context).data
        # many=True makes a list serializer, whose data is a list (typed as one object's dict).
        return cast(list[dict[str, Any]], data)


class ThemeSerializer(ReadOnlyModelSerializer):
    """A theme with how many recommendations and reviews have it."""

    recommendation_count = serializers.IntegerField(
        read_only=True, help_text="Recommendations of published reviews with this theme."
    )
    review_count = serializers.IntegerField(read_only=True, help_text="Published reviews with this theme.")
    recommendations_url = serializers.SerializerMethodField(help_text="Its recommendations in the API.")

    class Meta:
        model = Theme
        fields = [
            "slug",
            "name",
            "description",
            "recommendation_count",
            "review_count",
            "recommendations_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_recommendations_url(self, theme: Theme) -> str:
        return _absolute(self, f"{reverse('api:recommendation-list')}?theme={theme.slug}")
