"""The /history and /music/{history_uuid} API: thin viewsets calling selectors and services.
Only the caller's own entries: another user's uuid is a 404 like an unknown one."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from history import selectors, services
from history.serializers import (
    HistoryCorrectInput,
    HistoryEntryDetailSerializer,
    HistoryEntrySerializer,
    HistoryListQuery,
    HistoryPlaylistInput,
    HistoryRecommendInput,
    HistoryStatsSerializer,
    HistoryTrackSerializer,
    MostMoodSerializer,
)
from music.selectors import playlist_get
from music.serializers import PlaylistDetailSerializer
from vexora.api import envelope, input_valid, paginated_envelope

ANY_SEGMENT = "[^/]+"  # uuids are checked by the selectors (malformed -> the same 404 as unknown)
CORRECT_SCHEMA = {"type": "object", "required": ["mood"], "properties": {"mood": {
    "type": "string", "minLength": 1, "description": "what the person feels: happy | sad | angry | neutral "
                                                     "(case-insensitive)"}}}


@extend_schema(tags=["history"])
class HistoryViewSet(viewsets.ViewSet):
    """The caller's mood history: list, detail, correct the mood, delete, most frequent mood, stats,
    save as playlist, recommend again."""

    lookup_field = "uuid"
    lookup_value_regex = ANY_SEGMENT

    @extend_schema(parameters=[HistoryListQuery], responses=HistoryEntrySerializer(many=True))
    def list(self, request):
        """The caller's entries, newest first; filters `mood` and `month=YYYY-MM`."""
        entries = selectors.history_list(user=request.user, mood=request.query_params.get("mood"),
                                         month=request.query_params.get("month"))
        return paginated_envelope(request=request, view=self, queryset=entries,
                                  serializer_class=HistoryEntrySerializer, message="history retrieved successfully!")

    @extend_schema(responses=HistoryEntryDetailSerializer)
    def retrieve(self, request, uuid=None):
        """One entry with its probabilities and tracks."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        return envelope("history entry found!", HistoryEntryDetailSerializer(entry, context={"request": request}).data)

    # A raw schema: drf-spectacular makes every field of a PATCH body optional, `mood` is required.
    @extend_schema(request={media: CORRECT_SCHEMA for media in ("application/json", "application/x-www-form-urlencoded",
                                                                "multipart/form-data")},
                   responses=HistoryEntryDetailSerializer)
    def partial_update(self, request, uuid=None):
        """The person's answer to the reading: `mood` is what they feel. The model's reading stays
        (`detected_mood`, `confidence`, `probabilities`); `mood` becomes the answer, and when it
        changes the entry's tracks are picked again for it."""
        entry = selectors.history_get(user=request.user, entry_uuid=uuid)
        services.history_correct_mood(entry=entry, mood=input_valid(HistoryCorrectInput, request.data)["mood"])
        entry = selectors.history_get(user=request.user, entry_uuid=entry.uuid)
        return envelope("mood updated!", HistoryEntryDetailSerializer(entry, context={"request": request}).data,
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

