"""Teams and routing rules in the Django admin, for administrators.

Concerns themselves are deliberately NOT registered here, nor anything that holds what a reporter
said: the admin has no audit of reads, so concerns are read only on the triage pages, which record
every view. Routing rules are switched off rather than deleted, so past routes keep their rule.
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import About, RoutingRule, Team


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
