from django.contrib import admin
from django.http import HttpRequest

from .models import Agency, Board, ContactPoint, Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:  # one row only
        return not Partnership.objects.exists()


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "audience", "phone", "hours", "order"]
    list_editable = ["order"]
    list_filter = ["kind", "audience"]
