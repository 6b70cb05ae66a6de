"""Factories for history tests."""

import factory

from vexora.moods import MOODS

from history.models import HistoryEntry, HistoryTrack
from tests.factories import UserFactory
from tests.music.factories import TrackFactory


def probabilities_for(mood: str, confidence: float = 0.7) -> dict[str, float]:
    """A distribution where ``mood`` has ``confidence`` and the other three share the rest."""
    others = [m for m in MOODS if m != mood]
    return {mood: confidence, **{m: (1 - confidence) / 3 for m in others}}


class HistoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HistoryEntry

    user = factory.SubFactory(UserFactory)
    mood = "happy"
    confidence = 0.7
    probabilities = factory.LazyAttribute(lambda entry: probabilities_for(entry.mood, entry.confidence))
    strategy = "match"


class HistoryTrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HistoryTrack

    entry = factory.SubFactory(HistoryEntryFactory)
    track = factory.SubFactory(TrackFactory)
    position = factory.Sequence(lambda n: n)


def entry_with_tracks(*, tracks=3, **fields) -> HistoryEntry:
    """An entry with ``tracks`` new catalog tracks (or the given list of tracks) at positions 0..n-1."""
    entry = HistoryEntryFactory(**fields)
    items = tracks if isinstance(tracks, list) else TrackFactory.create_batch(tracks)
    for position, track in enumerate(items):
        HistoryTrackFactory(entry=entry, track=track, position=position)
    HistoryEntry.objects.filter(pk=entry.pk).update(track_count=len(items))  # as history_record writes it
    entry.track_count = len(items)
    return entry


def catalog_tracks(count: int = 40) -> list:
    """A small catalog: ``count`` catalog tracks by different artists, spread over the whole
    valence/energy square (so every mood and strategy finds tracks)."""
    side = max(2, round(count ** 0.5))
    return [TrackFactory(valence=round((i % side) / (side - 1), 3), energy=round((i // side % side) / (side - 1), 3))
            for i in range(count)]
