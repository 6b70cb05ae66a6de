"""JSON shapes of history entries (output) and the inputs of the history API."""

from rest_framework import serializers

from history.models import NOTE_MAX_LENGTH, TAG_NAME_MAX_LENGTH, HistoryEntry, HistoryTrack
from history.selectors import STATS_MAX_DAYS
from history.services import TAGS_PER_ENTRY_MAX
from history.summaries import INSIGHTS_DEFAULT_DAYS, MIXED
from music.serializers import TrackSerializer
from vexora.moods import MOODS

MOOD_CHOICES = HistoryEntry._meta.get_field("mood").choices


class HistoryEntrySerializer(serializers.ModelSerializer):
    """An entry in lists: ``{uuid, user_id, mood, detected_mood, corrected_mood, confidence,
    created_at, track_count, note, tags}``; ``user_id`` is the owner's public uuid. ``mood`` is the
    entry's effective mood: the person's answer when they gave one, else the model's reading
    (``detected_mood``, with its ``confidence``). ``tags`` are the names of its tags, by name."""

    user_id = serializers.UUIDField(source="user.uuid", read_only=True)
    mood = serializers.ChoiceField(source="effective_mood", choices=MOOD_CHOICES, read_only=True,
                                   help_text="corrected_mood when the person answered, else detected_mood")
    detected_mood = serializers.ChoiceField(source="mood", choices=MOOD_CHOICES, read_only=True,
                                            help_text="what the model read from the selfie")
    corrected_mood = serializers.ChoiceField(choices=MOOD_CHOICES, read_only=True, allow_null=True,
                                             help_text="what the person says they feel (PATCH history/{uuid}); "
                                                       "null: not answered")
    tags = serializers.SerializerMethodField()

    class Meta:
        model = HistoryEntry
        fields = ("uuid", "user_id", "mood", "detected_mood", "corrected_mood", "confidence", "created_at",
                  "track_count", "note", "tags")
        read_only_fields = fields

    def get_tags(self, entry: HistoryEntry) -> list[str]:
        return [tag.name for tag in entry.tags.all()]


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
                                   help_text="YYYY-MM (the caller's time zone); blank: every month")
    day = serializers.RegexField(r"^(\d{4}-\d{2}-\d{2})?$", required=False, allow_blank=True,
                                 help_text="YYYY-MM-DD (the caller's time zone); blank: every day")
    tag = serializers.CharField(required=False, allow_blank=True,
                                help_text="a tag name, any case (no such tag: no entries); blank: any")
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


TAGS_SENT_MAX = 50  # names in one request (repeats included); the service allows TAGS_PER_ENTRY_MAX different ones


class HistoryEntryUpdateInput(serializers.Serializer):
    """PATCH history/{uuid}: any of the fields, at least one; history.services.history_entry_update
    checks the rules (the mood's vocabulary, tag names, limits) and stores them."""

    mood = serializers.CharField(required=False, help_text="what the person feels: happy | sad | angry | neutral "
                                 "(case-insensitive); the model's reading stays", error_messages={
                                     "blank": "choose one of happy, sad, angry, neutral", **_TEXT_ERRORS})
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH,
                                 help_text=f"at most {NOTE_MAX_LENGTH} characters; blank clears it",
                                 error_messages=_TEXT_ERRORS)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_NAME_MAX_LENGTH, error_messages=_TEXT_ERRORS),
        required=False, max_length=TAGS_SENT_MAX,
        help_text=f"the entry's tags, replacing the ones it has (names, any case, repeats ignored; at most "
                  f"{TAGS_PER_ENTRY_MAX} different ones; [] clears them)")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"non_field_errors": [
                f"nothing to change: send {', '.join(list(self.fields)[:-1])} and/or {list(self.fields)[-1]}"]})
        return attrs


class HistoryTagSerializer(serializers.Serializer):
    """GET history/tags (schema only)."""

    name = serializers.CharField()
    default = serializers.BooleanField(help_text="one of the tags offered to everyone")
    entries = serializers.IntegerField(help_text="how many of the caller's entries carry it")


_MOOD_COUNTS = serializers.DictField(child=serializers.IntegerField(), help_text=f"{', '.join(MOODS)}")


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    total = serializers.IntegerField(help_text="readings that day")
    counts = _MOOD_COUNTS
    mood = serializers.CharField(allow_null=True, help_text=f"{', '.join((*MOODS, MIXED))}: the most frequent "
                                 "mood, mixed on a tie; null without readings")
    tied = serializers.ListField(child=serializers.CharField(), help_text="the tied moods of a mixed day")


class HistoryCalendarQuery(serializers.Serializer):
    """Query parameters of GET history/calendar (schema only: the selector checks them)."""

    month = serializers.RegexField(r"^(\d{4}-\d{2})?$", required=False, allow_blank=True,
                                   help_text="YYYY-MM (blank or missing: this month)")
    year = serializers.RegexField(r"^(\d{4})?$", required=False, allow_blank=True,
                                  help_text="YYYY: the whole year (not with month)")


class HistoryCalendarSerializer(serializers.Serializer):
    """GET history/calendar (schema only)."""

    view = serializers.ChoiceField(choices=["month", "year"])
    period = serializers.CharField(help_text="YYYY-MM or YYYY")
    time_zone = serializers.CharField()
    today = serializers.DateField(help_text="today in the caller's time zone")
    previous = serializers.CharField(allow_null=True)
    next = serializers.CharField(allow_null=True)
    total = serializers.IntegerField()
    counts = _MOOD_COUNTS
    moods = serializers.DictField(child=serializers.IntegerField(), help_text="days per summary mood (and mixed)")
    days_with_readings = serializers.IntegerField()
    days = CalendarDaySerializer(many=True)

    def get_fields(self):  # "from"/"to" are Python keywords: added by name
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class HistoryInsightsSerializer(serializers.Serializer):
    """GET history/insights (schema only; docs/api/history.md describes every part)."""

    time_zone = serializers.CharField()
    days = serializers.IntegerField(min_value=1, max_value=STATS_MAX_DAYS)
    readings = serializers.IntegerField()
    days_with_readings = serializers.IntegerField()
    rules = serializers.DictField()
    weeks = serializers.DictField()
    weekdays = serializers.ListField(child=serializers.DictField())
    times_of_day = serializers.ListField(child=serializers.DictField())
    tags = serializers.ListField(child=serializers.DictField())

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


INSIGHTS_DAYS_HELP = f"1..{STATS_MAX_DAYS}, default {INSIGHTS_DEFAULT_DAYS}"
