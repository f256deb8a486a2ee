"""The tracker in the Django admin, for administrators: actions with their notes, evidence, sign-offs.

Day-to-day work happens on the staff pages, through the services that check permission and record
history. The admin is for putting things right; evidence files are not downloadable from here (only
the staff download view checks who may read them), and sign-off snapshots cannot be edited.
"""

from django.contrib import admin

from .models import Action, Evidence, ProgressNote, SignOff


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["id", "recommendation", "owner_agency", "status", "due_date", "rag_override"]
    list_filter = ["status", "owner_agency", "recommendation__review"]
    search_fields = ["description"]
    list_select_related = ["recommendation", "owner_agency"]
    raw_id_fields = ["recommendation", "lead", "rag_override_by"]
    inlines = [ProgressNoteInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "kind", "action", "state", "effective_date", "supplied_by"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]
    list_select_related = ["action", "supplied_by"]
    raw_id_fields = ["action", "supplied_by", "reviewed_by"]
    # The stored file shows as its random name only: no link that would bypass the staff view's checks.
    exclude = ["file"]
    readonly_fields = ["stored_file", "original_name", "content_type", "size", "supplied_at"]

    @admin.display(description="Stored file")
    def stored_file(self, obj: Evidence) -> str:
        return obj.file.name or "-"  # a FieldFile is true exactly when it has a name


@admin.register(SignOff)
class SignOffAdmin(admin.ModelAdmin):
    list_display = ["id", "recommendation", "board", "decision", "meeting_date", "reopened_at"]
    list_filter = ["board", "decision"]
    list_select_related = ["recommendation", "board"]
    raw_id_fields = ["recommendation", "recorded_by"]
    readonly_fields = ["snapshot", "snapshot_hash", "recorded_at", "reopened_at", "reopened_reason"]
