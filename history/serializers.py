"""JSON shapes of history entries (output) and the inputs of the history API."""

from rest_framework import serializers

from history.models import HistoryEntry, HistoryTrack
from history.selectors import STATS_MAX_DAYS
from music.serializers import TrackSerializer

MOOD_CHOICES = HistoryEntry._meta.get_field("mood").choices


class HistoryEntrySerializer(serializers.ModelSerializer):
    """An entry in lists: ``{uuid, user_id, mood, detected_mood, corrected_mood, confidence,
    created_at, track_count}``; ``user_id`` is the owner's public uuid. ``mood`` is the entry's
    effective mood: the person's answer when they gave one, else the model's reading
    (``detected_mood``, with its ``confidence``)."""

    user_id = serializers.UUIDField(source="user.uuid", read_only=True)
    mood = serializers.ChoiceField(source="effective_mood", choices=MOOD_CHOICES, read_only=True,
                                   help_text="corrected_mood when the person answered, else detected_mood")
    detected_mood = serializers.ChoiceField(source="mood", choices=MOOD_CHOICES, read_only=True,
                                            help_text="what the model read from the selfie")
    corrected_mood = serializers.ChoiceField(choices=MOOD_CHOICES, read_only=True, allow_null=True,
                                             help_text="what the person says they feel (PATCH history/{uuid}); "
                                                       "null: not answered")
    track_count = serializers.SerializerMethodField()

    class Meta:
        model = HistoryEntry
        fields = ("uuid", "user_id", "mood", "detected_mood", "corrected_mood", "confidence", "created_at",
                  "track_count")
        read_only_fields = fields

    def get_track_count(self, entry: HistoryEntry) -> int:
        count = getattr(entry, "track_count", None)
        return count if count is not None else entry.items.count()


class HistoryEntryDetailSerializer(HistoryEntrySerializer):
    """An entry with its probabilities, the recommendation strategy and its tracks in order."""

    tracks = serializers.SerializerMethodField()

    class Meta(HistoryEntrySerializer.Meta):
        fields = (*HistoryEntrySerializer.Meta.fields, "probabilities", "strategy", "tracks")
        read_only_fields = fields

    def get_tracks(self, entry: HistoryEntry) -> list[dict]:
        return TrackSerializer([item.track for item in entry.items.all()], many=True, context=self.context).data


class HistoryTrackSerializer(serializers.ModelSerializer):
    """A track recommended with an entry (GET music/{history_uuid}): ``{uuid, created_at,
    history_uuid}`` of the recommendation, then the track object (``music.serializers.TrackSerializer``)."""

    created_at = serializers.DateTimeField(source="entry.created_at", read_only=True)
    history_uuid = serializers.UUIDField(source="entry.uuid", read_only=True)

    class Meta:
        model = HistoryTrack
        fields = ("uuid", "created_at", "history_uuid")
        read_only_fields = fields

    def to_representation(self, item: HistoryTrack) -> dict:
        return {**super().to_representation(item), **TrackSerializer(item.track, context=self.context).data}


class HistoryListQuery(serializers.Serializer):
    """Query parameters of GET history (schema only: the selector checks them)."""

    mood = serializers.ChoiceField(choices=MOOD_CHOICES, required=False,
                                   allow_blank=True, help_text="blank: every mood")
    month = serializers.RegexField(r"^(\d{4}-\d{2})?$", required=False, allow_blank=True,
                                   help_text="YYYY-MM (settings.TIME_ZONE); blank: every month")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)


class HistoryStatsSerializer(serializers.Serializer):
    """GET history/stats (schema only)."""

    days = serializers.IntegerField(min_value=1, max_value=STATS_MAX_DAYS)
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    series = serializers.ListField(child=serializers.DictField())

    def get_fields(self):  # "from"/"to" are Python keywords: added by name
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class MostMoodSerializer(serializers.Serializer):
    """GET history/most-mood (schema only)."""

    mood = serializers.ChoiceField(choices=MOOD_CHOICES, allow_null=True)


_TEXT_ERRORS = {"invalid": "must be a string", "null": "must be a string"}


class HistoryPlaylistInput(serializers.Serializer):
    """POST history/{uuid}/playlist. Blank or missing ``name``: the default name
    ("Happy mix — 24 Nov 2026"). Name rules and messages are music's playlist_create."""

    name = serializers.CharField(required=False, allow_blank=True, default="", error_messages=_TEXT_ERRORS)
    description = serializers.CharField(required=False, allow_blank=True, default="", error_messages=_TEXT_ERRORS)


class HistoryRecommendInput(serializers.Serializer):
    """POST history/{uuid}/recommend. ``strategy``: "match" (tracks that fit the mood) or "uplift"
    (start at the mood, move toward calmer, happier tracks). history.services checks the value."""

    strategy = serializers.CharField(help_text="match | uplift", error_messages={
        "required": "this field is required", "blank": "this field is required", **_TEXT_ERRORS})


class HistoryCorrectInput(serializers.Serializer):
    """PATCH history/{uuid}: ``mood`` is what the person feels (happy, sad, angry or neutral;
    history.services.history_correct_mood checks the value)."""

    mood = serializers.CharField(help_text="happy | sad | angry | neutral", error_messages={
        "required": "this field is required", "blank": "this field is required", **_TEXT_ERRORS})
