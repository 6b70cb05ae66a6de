"""The admin of the mood history: entries are what the model read and what the person answered,
so staff can look and delete but never edit them; the tracks are shown in order. A page of its own
(``corrections/``) shows how often people corrected each reading, and to what."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

from history.models import HistoryEntry, HistoryTrack
from history.selectors import history_corrections
from vexora.admin_site import LabelledInlineMixin
from vexora.i18n import mood_label
from vexora.moods import MOODS


class HistoryTrackInline(LabelledInlineMixin, admin.TabularInline):
    model = HistoryTrack
    extra = 0
    fields = ("position", "track", "uuid")
    readonly_fields = fields
    ordering = ("position",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "mood", "confidence_percent", "corrected_mood", "strategy", "created_at")
    list_filter = ("mood", "corrected_mood", "strategy", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("user__username", "user__email", "=uuid")
    list_select_related = ("user",)
    fields = ("uuid", "user", "mood", "confidence_percent", "probabilities_percent", "corrected_mood", "strategy",
              "created_at")
    readonly_fields = fields
    inlines = (HistoryTrackInline,)
    change_list_template = "admin/history/historyentry/change_list.html"

    @admin.display(description="confidence", ordering="confidence")
    def confidence_percent(self, entry):
        return f"{entry.confidence:.0%}"

    @admin.display(description="probabilities")
    def probabilities_percent(self, entry):
        probabilities = entry.probabilities or {}
        return " · ".join(f"{mood_label(mood)} {float(probabilities.get(mood, 0)):.0%}" for mood in MOODS)

    # Entries come from detections only, and what was read (or answered) is never rewritten.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        corrections = path("corrections/", self.admin_site.admin_view(self.corrections_view),
                           name="history_historyentry_corrections")
        return [corrections, *super().get_urls()]

    def corrections_view(self, request):
        """Rows: the mood the model read; columns: what people said they felt."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        matrix = history_corrections()
        rows = [{**row, "label": mood_label(row["mood"]),
                 "cells": [{"count": row["answers"][felt], "confirmed": felt == row["mood"]} for felt in MOODS],
                 "corrected_share": _share(row["corrected"], row["total"] - row["unanswered"])}
                for row in matrix["rows"]]
        context = {
            **self.admin_site.each_context(request),
            "title": "Corrections of the mood readings",
            "opts": self.model._meta,
            "matrix": matrix,
            "rows": rows,
            "labels": [mood_label(mood) for mood in MOODS],
            "corrected_share": _share(matrix["corrected"], matrix["answered"]),
        }
        return TemplateResponse(request, "admin/history/historyentry/corrections.html", context)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"
