"""JSON shapes of the mood-detection API."""

from rest_framework import serializers

from music.serializers import TrackSerializer
from vexora.moods import STRATEGY_HELP

STRATEGY_CHOICES = tuple(STRATEGY_HELP.items())


class MoodDetectionInput(serializers.Serializer):
    """POST mood-detection (multipart/form-data; schema only: moods.services.mood_detect checks)."""

    image = serializers.ImageField(help_text="a selfie, PNG or JPEG (judged by content), size-capped")
    strategy = serializers.ChoiceField(choices=STRATEGY_CHOICES, required=False, default="match")
    user_id = serializers.CharField(required=False, help_text="ignored: the user is the token's")


class MoodDetectionSerializer(serializers.Serializer):
    """``{detected_mood, confidence, uncertain, probabilities, music, history_uuid, created_at, strategy, taste_widened}``
    from a ``moods.services.MoodDetectResult`` (values as stored in the history entry, and whether
    the reading is uncertain)."""

    detected_mood = serializers.CharField(source="entry.mood")
    confidence = serializers.FloatField(source="entry.confidence")
    uncertain = serializers.BooleanField(
        help_text="true when confidence is below MOOD_CONFIDENCE_THRESHOLD: ask the person to confirm the mood")
    probabilities = serializers.DictField(source="entry.probabilities", child=serializers.FloatField())
    music = TrackSerializer(source="tracks", many=True)
    history_uuid = serializers.UUIDField(source="entry.uuid")
    created_at = serializers.DateTimeField(source="entry.created_at")
    strategy = serializers.CharField(source="entry.strategy")
    taste_widened = serializers.BooleanField(
        source="widened", help_text="true when too few songs of the listener's liked genres fit the mood and "
                                    "others were added (blocked genres and skipped songs are never added)")
