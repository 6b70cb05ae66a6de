"""The /history and /music/{history_uuid} API: thin viewsets calling selectors and services.
Only the caller's own entries: another user's uuid is a 404 like an unknown one."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from history import exports, selectors, services, summaries
from history.serializers import (
    INSIGHTS_DAYS_HELP,
    HistoryCalendarQuery,
    HistoryCalendarSerializer,
    HistoryEntryDetailSerializer,
    HistoryEntrySerializer,
    HistoryEntryUpdateInput,
    HistoryInsightsSerializer,
    HistoryListQuery,
    HistoryPlaylistInput,
    HistoryRecommendInput,
    HistoryStatsSerializer,
    HistoryTagSerializer,
    HistoryTrackSerializer,
    MostMoodSerializer,
)
from music.selectors import playlist_get
from music.serializers import PlaylistDetailSerializer
from vexora.api import ScopedUserThrottle, envelope, input_valid, paginated_envelope

ANY_SEGMENT = "[^/]+"  # uuids are checked by the selectors (malformed -> the same 404 as unknown)
# GET history/{uuid} shares its path with the list's own GET pages (history/stats, history/tags...):
# the schema says an entry's id is a uuid, so a client never reads those as entries.
ENTRY_UUID = OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the entry's uuid")


@extend_schema(tags=["history"])
class HistoryViewSet(viewsets.ViewSet):
    """The caller's mood history: list, detail, correct the mood, note and tags, delete, most
    frequent mood, stats, tags, calendar, insights, save as playlist, recommend again."""

    lookup_field = "uuid"
    lookup_value_regex = ANY_SEGMENT

    @extend_schema(parameters=[HistoryListQuery], responses=HistoryEntrySerializer(many=True))
    def list(self, request):
        """The caller's entries, newest first; filters `mood`, `month=YYYY-MM`, `day=YYYY-MM-DD`
        (the caller's time zone) and `tag`."""
        query = request.query_params
        entries = selectors.history_list(user=request.user, mood=query.get("mood"), month=query.get("month"),
                                         day=query.get("day"), tag=query.get("tag"))
        return paginated_envelope(request=request, view=self, queryset=entries,
                                  serializer_class=HistoryEntrySerializer, message="history retrieved successfully!")

    @extend_schema(parameters=[ENTRY_UUID], responses=HistoryEntryDetailSerializer)
    def retrieve(self, request, uuid=None):
        """One entry with its probabilities and tracks."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        return envelope("history entry found!", HistoryEntryDetailSerializer(entry, context={"request": request}).data)

    @extend_schema(request=HistoryEntryUpdateInput, responses=HistoryEntryDetailSerializer)
    def partial_update(self, request, uuid=None):
        """Any of: `mood`, the person's answer to the reading (what they feel; the model's reading
        stays in `detected_mood`, `confidence`, `probabilities`, and when the entry's mood changes
        its tracks are picked again for it); `note`; `tags` (replacing the entry's tags)."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        changes = input_valid(HistoryEntryUpdateInput, request.data)
        services.history_entry_update(entry=entry, **changes)
        entry = selectors.history_get(user=request.user, entry_uuid=entry.uuid)
        message = "mood updated!" if set(changes) == {"mood"} else "history entry updated!"
        return envelope(message, HistoryEntryDetailSerializer(entry, context={"request": request}).data,
                        should_notify=True)

    @extend_schema(responses={200: None})
    def destroy(self, request, uuid=None):
        """Erase an entry and the tracks recorded with it."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        services.history_delete(entry=entry)
        return envelope("history entry deleted!", None, should_notify=True)

    @extend_schema(responses=MostMoodSerializer)
    @action(detail=False, methods=["get"], url_path="most-mood")
    def most_mood(self, request):
        """The most frequent mood (ties: the most recent of them); `null` without history."""
        return envelope("success", {"mood": selectors.history_most_mood(user=request.user)})

    @extend_schema(parameters=[OpenApiParameter("days", int, description=f"1..{selectors.STATS_MAX_DAYS}, "
                                                f"default {selectors.STATS_DEFAULT_DAYS}")],
                   responses=HistoryStatsSerializer)
    @action(detail=False, methods=["get"])
    def stats(self, request):
        """Counts per mood and a per-day series over the last `days` days (for charts)."""
        days = request.query_params.get("days", selectors.STATS_DEFAULT_DAYS)
        return envelope("success", selectors.history_stats(user=request.user, days=days))

    @extend_schema(responses=HistoryTagSerializer(many=True))
    @action(detail=False, methods=["get"])
    def tags(self, request):
        """The tags the caller can pick: the default ones, then their own, with their use."""
        return envelope("success", selectors.history_tags(user=request.user))

    @extend_schema(parameters=[HistoryCalendarQuery], responses=HistoryCalendarSerializer)
    @action(detail=False, methods=["get"])
    def calendar(self, request):
        """Every day of a month (`month=YYYY-MM`, default this month) or a year (`year=YYYY`) in the
        caller's time zone, each with its readings and its mood (the most frequent; `mixed` on a tie)."""
        return envelope("success", summaries.history_calendar(user=request.user, month=request.query_params.get("month"),
                                                              year=request.query_params.get("year")))

    @extend_schema(parameters=[OpenApiParameter("days", int, description=INSIGHTS_DAYS_HELP)],
                   responses=HistoryInsightsSerializer)
    @action(detail=False, methods=["get"])
    def insights(self, request):
        """This week against last week, mood by weekday, time of day and tag, each only with
        enough data (the rules are in the answer)."""
        days = request.query_params.get("days", summaries.INSIGHTS_DEFAULT_DAYS)
        return envelope("success", summaries.history_insights(user=request.user, days=days))

    @extend_schema(request=HistoryPlaylistInput, responses={201: PlaylistDetailSerializer})
    @action(detail=True, methods=["post"])
    def playlist(self, request, uuid=None):
        """Save the entry's tracks as a new playlist of the caller."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        playlist = services.history_save_as_playlist(entry=entry, **input_valid(HistoryPlaylistInput, request.data))
        playlist = playlist_get(user=request.user, playlist_uuid=playlist.uuid)
        return envelope("playlist created successfully!",
                        PlaylistDetailSerializer(playlist, context={"request": request}).data, status=201,
                        should_notify=True)

    @extend_schema(request=HistoryRecommendInput, responses=HistoryEntryDetailSerializer)
    @action(detail=True, methods=["post"])
    def recommend(self, request, uuid=None):
        """A fresh list of tracks for the same entry with `strategy` (match|uplift): its tracks are
        replaced and its strategy stored; no new entry is made."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        strategy = input_valid(HistoryRecommendInput, request.data)["strategy"]
        services.history_recommend_again(entry=entry, strategy=strategy)
        entry = selectors.history_get(user=request.user, entry_uuid=entry.uuid)
        return envelope("recommendation updated!",
                        HistoryEntryDetailSerializer(entry, context={"request": request}).data, should_notify=True)


@extend_schema(tags=["history"])
class HistoryMusicViewSet(viewsets.ViewSet):
    """GET music/{history_uuid}: the tracks recommended with one of the caller's entries."""

    lookup_field = "history_uuid"
    lookup_value_regex = ANY_SEGMENT

    @extend_schema(responses=HistoryTrackSerializer(many=True))
    def retrieve(self, request, history_uuid=None):
        entry = selectors.history_get(user=request.user, entry_uuid=history_uuid)
        return envelope("history entry found!",
                        HistoryTrackSerializer(entry.items.all(), many=True, context={"request": request}).data)



@extend_schema(tags=["accounts"])
class UserDataViewSet(viewsets.ViewSet):
    """GET user/export: everything Vexora keeps about the caller, as a zip of JSON and CSV. It lives
    in history because history may read every app (moods -> history -> music -> accounts)."""

    throttle_scope = "data_export"
    throttle_classes = [ScopedUserThrottle]

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(
        OpenApiTypes.BINARY, description="a zip: README.txt, profile.json, history.json/.csv, "
        "history_tracks.csv, tags.json, taste.json, playlists.json/.csv (and profile-picture.jpg when stored "
        "here)")})
    def export(self, request):
        """Download the caller's data (a zip file, not the JSON envelope; errors stay in it)."""
        filename, data = exports.user_data_export(user=request.user, request=request)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
