"""A person's mood history: one entry per mood detection, with the tracks recommended with it."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy

from music.models import Track
from vexora.moods import MOOD_LABELS, MOODS, STRATEGIES, STRATEGY_LABELS


# Labels in the active language where Django shows them (the admin's lists and filters).
MOOD_CHOICES = [(mood, gettext_lazy(MOOD_LABELS[mood])) for mood in MOODS]  # noqa: INT001 (marked in vexora.moods)
STRATEGY_CHOICES = [(strategy, gettext_lazy(STRATEGY_LABELS[strategy])) for strategy in STRATEGIES]  # noqa: INT001
NOTE_MAX_LENGTH = 500
TAG_NAME_MAX_LENGTH = 30
# Offered to everyone; a person's own tags join them once used.
DEFAULT_TAGS: tuple[str, ...] = ("sleep", "work", "family", "friends", "exercise", "weather")
# How pages show the default tags (the stored name stays the English key; the API shows it as stored).
DEFAULT_TAG_LABELS = {"sleep": gettext_lazy("sleep"), "work": gettext_lazy("work"), "family": gettext_lazy("family"),
                      "friends": gettext_lazy("friends"), "exercise": gettext_lazy("exercise"),
                      "weather": gettext_lazy("weather")}


def tag_label(name) -> str:
    """A tag in the active language when it is a default one ("Sleep" -> "Tidur"), else as typed."""
    name = str(name)
    label = DEFAULT_TAG_LABELS.get(name.lower())
    if label is None:
        return name
    label = str(label)
    return label[:1].upper() + label[1:] if name[:1].isupper() else label


class HistoryEntry(models.Model):
    """One mood detection: what was read from the selfie (never the selfie itself) and when.
    ``uuid`` is the public id; ``id`` stays internal."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="history_entries")
    mood = models.CharField(max_length=10, choices=MOOD_CHOICES)  # what the model read
    confidence = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
                                   help_text="the probability of the detected mood")
    probabilities = models.JSONField(default=dict, help_text="every mood -> probability (sums to 1)")
    strategy = models.CharField(max_length=10, choices=STRATEGY_CHOICES, default="match")
    # What the person said they feel ("Not right? I feel…"): empty until they answer; equal to
    # ``mood`` when they confirmed the reading. ``mood`` always keeps what the model read.
    corrected_mood = models.CharField(max_length=10, choices=MOOD_CHOICES, null=True, blank=True,
                                      help_text="the mood the person says they feel (empty: not answered)")
    # A default rather than auto_now_add: imports and tests may set the time explicitly.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    tracks = models.ManyToManyField(Track, through="HistoryTrack", related_name="history_entries")
    # The person's context for the reading, editable later (history.services.history_entry_update).
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, default="")
    tags = models.ManyToManyField("Tag", through="HistoryEntryTag", related_name="entries", blank=True)
    # How many tracks the entry lists, written with them (history.services): a page of the list
    # reads it from the row instead of counting each entry's tracks.
    track_count = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "history entries"
        constraints = [
            models.CheckConstraint(condition=Q(mood__in=MOODS), name="history_entry_mood_valid"),
            models.CheckConstraint(condition=Q(strategy__in=STRATEGIES), name="history_entry_strategy_valid"),
            models.CheckConstraint(condition=Q(corrected_mood__isnull=True) | Q(corrected_mood__in=MOODS),
                                   name="history_entry_corrected_mood_valid"),
            models.CheckConstraint(condition=Q(confidence__gte=0.0, confidence__lte=1.0),
                                   name="history_entry_confidence_0_1"),
            # SQLite does not enforce a varchar length: the cap is a constraint on every database.
            models.CheckConstraint(condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH), name="history_entry_note_length"),
        ]
        indexes = [
            # Every read is "this user's entries, newest first" (lists, month filter, stats window).
            models.Index(fields=["user", "-created_at"], name="history_entry_user_new_idx"),
            # The list filtered by mood, newest first: a page and its count read this index only.
            models.Index(fields=["user", "mood", "-created_at"], name="history_entry_user_mood_idx"),
        ]

    def __str__(self):
        answer = f" → {self.corrected_mood}" if self.is_corrected else ""
        return f"{self.mood} ({self.confidence:.0%}){answer} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def effective_mood(self) -> str:
        """The mood the entry counts as: the person's answer when they gave one, else the model's."""
        return self.corrected_mood or self.mood

    @property
    def is_corrected(self) -> bool:
        return bool(self.corrected_mood) and self.corrected_mood != self.mood

    def get_effective_mood_display(self) -> str:
        return str(dict(MOOD_CHOICES)[self.effective_mood])


def effective_mood_expression():
    """``effective_mood`` in SQL, for filters, counts and stats: the correction, else the model's mood."""
    return Coalesce("corrected_mood", "mood")


class Tag(models.Model):
    """One of a person's tags (``sleep``, ``work``... or their own words). Names are unique per
    user whatever their letter case; the first spelling is kept. A tag lives while an entry
    carries it (history.services drops a tag with its last entry)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="history_tags")
    name = models.CharField(max_length=TAG_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", Lower("name")]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="history_tag_name_ci_unique_per_user"),
            models.CheckConstraint(condition=~Q(name=""), name="history_tag_name_not_blank"),
            models.CheckConstraint(condition=LessThanOrEqual(Length("name"), TAG_NAME_MAX_LENGTH), name="history_tag_name_length"),
        ]

    def __str__(self):
        return self.name


class HistoryEntryTag(models.Model):
    """A tag on an entry (both of the same user: history.services checks it)."""

    entry = models.ForeignKey(HistoryEntry, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="entry_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "tag"], name="history_entry_tag_unique")]
        indexes = [models.Index(fields=["tag", "entry"], name="history_entry_tag_tag_idx")]

    def __str__(self):
        return f"{self.entry_id}: {self.tag_id}"


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
