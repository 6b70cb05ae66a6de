from django.contrib import admin

from music.models import Playlist, PlaylistTrack, Track
from vexora.admin_site import LabelledInlineMixin


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "artist", "album", "genre", "popularity", "valence", "energy", "in_catalog")
    list_filter = ("in_catalog", "genre", "subgenre")
    search_fields = ("name", "artist", "album", "=id")
    ordering = ("name",)
    show_full_result_count = False  # ~28k rows: skip the extra COUNT(*) per page
    list_per_page = 50
    readonly_fields = ("id",)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()


class PlaylistTrackInline(LabelledInlineMixin, admin.TabularInline):
    model = PlaylistTrack
    extra = 0
    autocomplete_fields = ("track",)
    fields = ("position", "track", "added_at")
    readonly_fields = ("added_at",)
    ordering = ("position",)


@admin.register(Playlist)
class PlaylistAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at", "updated_at")
    search_fields = ("name", "user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("uuid", "created_at", "updated_at")
    inlines = (PlaylistTrackInline,)
