from django.contrib import admin

from history.models import HistoryEntry, HistoryTrack


class HistoryTrackInline(admin.TabularInline):
    model = HistoryTrack
    extra = 0
    autocomplete_fields = ("track",)
    fields = ("position", "track", "uuid")
    readonly_fields = ("uuid",)
    ordering = ("position",)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "mood", "confidence", "strategy", "created_at")
    list_filter = ("mood", "strategy", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("user__username", "user__email", "=uuid")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("uuid", "created_at")
    fields = ("uuid", "user", "mood", "confidence", "probabilities", "strategy", "created_at")
    inlines = (HistoryTrackInline,)
