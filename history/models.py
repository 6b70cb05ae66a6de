"""A person's mood history: one entry per mood detection, with the tracks recommended with it."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from music.models import Track
from vexora.moods import MOOD_LABELS, MOODS, STRATEGIES, STRATEGY_LABELS


MOOD_CHOICES = [(mood, MOOD_LABELS[mood]) for mood in MOODS]
STRATEGY_CHOICES = [(strategy, STRATEGY_LABELS[strategy]) for strategy in STRATEGIES]


class HistoryEntry(models.Model):
    """One mood detection: what was read from the selfie (never the selfie itself) and when.
    ``uuid`` is the public id; ``id`` stays internal."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="history_entries")
    mood = models.CharField(max_length=10, choices=MOOD_CHOICES)
    confidence = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
                                   help_text="the probability of the detected mood")
    probabilities = models.JSONField(default=dict, help_text="every mood -> probability (sums to 1)")
    strategy = models.CharField(max_length=10, choices=STRATEGY_CHOICES, default="match")
    # A default rather than auto_now_add: imports and tests may set the time explicitly.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    tracks = models.ManyToManyField(Track, through="HistoryTrack", related_name="history_entries")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "history entries"
        constraints = [
            models.CheckConstraint(condition=Q(mood__in=MOODS), name="history_entry_mood_valid"),
            models.CheckConstraint(condition=Q(strategy__in=STRATEGIES), name="history_entry_strategy_valid"),
            models.CheckConstraint(condition=Q(confidence__gte=0.0, confidence__lte=1.0),
                                   name="history_entry_confidence_0_1"),
        ]
        indexes = [
            # Every read is "this user's entries, newest first" (lists, month filter, stats window).
            models.Index(fields=["user", "-created_at"], name="history_entry_user_new_idx"),
            # The list filtered by mood, newest first: a page and its count read this index only.
            models.Index(fields=["user", "mood", "-created_at"], name="history_entry_user_mood_idx"),
        ]

    def __str__(self):
        return f"{self.mood} ({self.confidence:.0%}) at {self.created_at:%Y-%m-%d %H:%M}"


class HistoryTrack(models.Model):
    """A track recommended with an entry, at its place in the list (positions 0..n-1)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(HistoryEntry, on_delete=models.CASCADE, related_name="items")
    # PROTECT: removing a catalog track must never silently rewrite someone's history.
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="history_items")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="history_track_unique_position"),
            models.UniqueConstraint(fields=["entry", "track"], name="history_track_unique_track"),
        ]

    def __str__(self):
        return f"{self.entry_id}#{self.position}: {self.track_id}"
