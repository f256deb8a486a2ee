"""Teams, routing rules and triage decision options in the Django admin, for administrators.

Concerns themselves are deliberately NOT registered here, nor anything that holds what a reporter
said: the admin has no audit of reads, so concerns are read only on the triage pages, which record
every view. Routing rules and decision options are switched off rather than deleted, so past
routes keep their rule and past decisions their option.
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import About, DecisionOption, RoutingRule, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


class RoutingRuleForm(forms.ModelForm):
    # Tick boxes rather than raw JSON: the stored value is the list of About codes ticked.
    about_in = forms.MultipleChoiceField(
        label="About",
        choices=About.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Matches concerns about any of these. Tick none to match every concern.",
    )

    class Meta:
        model = RoutingRule
        fields = [
            "order",
            "name",
            "active",
            "about_in",
            "immediate_danger",
            "has_exploitation_signs",
            "team",
            "mark_urgent",
        ]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["name", "order", "active", "team", "mark_urgent"]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    list_filter = ["active", "team"]
    list_select_related = ["team"]
    ordering = ["order", "id"]

    def has_delete_permission(self, request: HttpRequest, obj: RoutingRule | None = None) -> bool:
        return False


@admin.register(DecisionOption)
class DecisionOptionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "active", "applies_to", "retention_years", "closes_concern"]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    list_filter = ["active", "applies_to", "closes_concern"]
    ordering = ["order", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: DecisionOption | None = None) -> list[str]:
        # The code is what the audit trail records: once decisions use it, it stays.
        return ["code"] if obj is not None and obj.decisions.exists() else []

    def has_delete_permission(self, request: HttpRequest, obj: DecisionOption | None = None) -> bool:
        return False
