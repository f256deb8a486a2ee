from django.contrib import admin

from .models import Finding, Media, Recommendation, Resource, Review, ReviewMilestone, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MilestoneInline(admin.TabularInline):
    model = ReviewMilestone
    extra = 0


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0


class MediaInline(admin.StackedInline):
    model = Media
    extra = 0


class ReviewResourceInline(admin.TabularInline):
    model = Resource
    fk_name = "review"
    fields = ["title", "url", "description", "recommendation", "order"]
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["short_title", "review_type", "published_on", "is_published", "is_demo"]
    list_filter = ["review_type", "is_published", "is_demo", "boards"]
    search_fields = ["title", "short_title", "summary"]
    prepopulated_fields = {"slug": ["short_title"]}
    filter_horizontal = ["boards"]
    inlines = [MilestoneInline, FindingInline, MediaInline, ReviewResourceInline]


class RecommendationResourceInline(admin.TabularInline):
    model = Resource
    fk_name = "recommendation"
    fields = ["review", "title", "url", "description", "order"]
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "review", "addressee", "audience", "public_status"]
    list_filter = ["review", "addressee", "audience", "public_status", "themes"]
    search_fields = ["reference", "title", "text"]
    filter_horizontal = ["lead_agencies", "themes"]
    list_select_related = ["review"]
    inlines = [RecommendationResourceInline]
