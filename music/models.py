"""Tracks (the local catalog plus tracks added from Spotify) and users' playlists."""

import re
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import Exact

from vexora.moods import MOODS

TRACK_ID_PATTERN = r"^[0-9A-Za-z]{22}$"
_TRACK_ID_RE = re.compile(TRACK_ID_PATTERN)
SPOTIFY_TRACK_URL = "https://open.spotify.com/track/{id}"
SPOTIFY_EMBED_URL = "https://open.spotify.com/embed/track/{id}"


def is_track_id(value) -> bool:
    """A Spotify track id: exactly 22 base62 characters."""
    return isinstance(value, str) and bool(_TRACK_ID_RE.match(value))


def _unit_interval(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0.0, f"{field}__lte": 1.0})


UNIT = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Track(models.Model):
    """A Spotify track. Catalog rows (``in_catalog``) carry the audio features the recommender
    uses; tracks added through Spotify (search, playlists) have no features (NULL)."""

    id = models.CharField(primary_key=True, max_length=22,
                          validators=[RegexValidator(TRACK_ID_PATTERN, "a track id is 22 base62 characters")])
    name = models.CharField(max_length=300)
    artist = models.CharField(max_length=300)
    album = models.CharField(max_length=300, blank=True, default="")
    album_id = models.CharField(max_length=22, blank=True, default="")
    release_date = models.CharField(max_length=10, blank=True, default="",
                                    help_text="YYYY, YYYY-MM or YYYY-MM-DD, as precise as Spotify gives it")
    release_year = models.PositiveSmallIntegerField(null=True, blank=True)
    genre = models.CharField(max_length=30, blank=True, default="", help_text="the first of ``genres``")
    genres = models.CharField(max_length=200, blank=True, default="",
                              help_text="every genre the catalog lists the song under, comma-separated")
    subgenre = models.CharField(max_length=50, blank=True, default="")
    popularity = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    explicit = models.BooleanField(null=True, blank=True, help_text="explicit lyrics (unknown: NULL)")
    valence = models.FloatField(null=True, blank=True, validators=UNIT)
    energy = models.FloatField(null=True, blank=True, validators=UNIT)
    danceability = models.FloatField(null=True, blank=True, validators=UNIT)
    acousticness = models.FloatField(null=True, blank=True, validators=UNIT)
    instrumentalness = models.FloatField(null=True, blank=True, validators=UNIT)
    speechiness = models.FloatField(null=True, blank=True, validators=UNIT)
    liveness = models.FloatField(null=True, blank=True, validators=UNIT)
    loudness = models.FloatField(null=True, blank=True, help_text="dB (Spotify: about -60 to 0)")
    tempo = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.0)], help_text="beats per minute")
    mode = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(1)],
                                            help_text="1 major, 0 minor")
    key = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(11)],
                                           help_text="pitch class, 0 = C")
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # The track mood model's probabilities (music.track_moods), set by load_catalog; sum to 1.
    mood_happy = models.FloatField(null=True, blank=True, validators=UNIT)
    mood_sad = models.FloatField(null=True, blank=True, validators=UNIT)
    mood_angry = models.FloatField(null=True, blank=True, validators=UNIT)
    mood_neutral = models.FloatField(null=True, blank=True, validators=UNIT)
    duplicate_of = models.CharField(max_length=22, blank=True, default="",
                                    help_text="another id of the same song (a remaster, a compilation): "
                                              "only that one is recommended and found by search")
    in_catalog = models.BooleanField(default=False, help_text="loaded from the shipped catalog (has audio features)")
    thumbnail = models.URLField(max_length=500, blank=True, default="", help_text="album cover (from Spotify)")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Exact(Length("id"), 22), name="music_track_id_22_chars"),
            models.CheckConstraint(condition=~Q(name=""), name="music_track_name_not_blank"),
            models.CheckConstraint(condition=~Q(artist=""), name="music_track_artist_not_blank"),
            models.CheckConstraint(condition=_unit_interval("valence"), name="music_track_valence_0_1"),
            models.CheckConstraint(condition=_unit_interval("energy"), name="music_track_energy_0_1"),
            models.CheckConstraint(condition=_unit_interval("danceability"), name="music_track_danceability_0_1"),
            models.CheckConstraint(condition=_unit_interval("acousticness"), name="music_track_acousticness_0_1"),
            models.CheckConstraint(condition=_unit_interval("instrumentalness"),
                                   name="music_track_instrumentalness_0_1"),
            models.CheckConstraint(condition=_unit_interval("speechiness"), name="music_track_speechiness_0_1"),
            models.CheckConstraint(condition=_unit_interval("liveness"), name="music_track_liveness_0_1"),
            models.CheckConstraint(condition=Q(mode__isnull=True) | Q(mode__lte=1), name="music_track_mode_0_1"),
            models.CheckConstraint(condition=Q(key__isnull=True) | Q(key__lte=11), name="music_track_key_0_11"),
            *[models.CheckConstraint(condition=_unit_interval(f"mood_{mood}"), name=f"music_track_mood_{mood}_0_1")
              for mood in MOODS],
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="music_track_not_its_own_duplicate"),
            models.CheckConstraint(condition=Q(popularity__isnull=True) | Q(popularity__lte=100),
                                   name="music_track_popularity_0_100"),
            models.CheckConstraint(condition=Q(tempo__isnull=True) | Q(tempo__gte=0),
                                   name="music_track_tempo_positive"),
            models.CheckConstraint(condition=~Q(in_catalog=True) | Q(valence__isnull=False, energy__isnull=False),
                                   name="music_track_catalog_has_features"),
        ]
        indexes = [
            # Case-insensitive exact look-ups (Django's iexact is UPPER(col) = UPPER(value) on
            # PostgreSQL) and popularity ordering. Substring search: trigram GIN indexes on
            # PostgreSQL, created by migration 0002 (raw SQL: they need the pg_trgm extension).
            models.Index(Upper("name"), name="music_track_name_upper_idx"),
            models.Index(Upper("artist"), name="music_track_artist_upper_idx"),
            models.Index(fields=["-popularity"], name="music_track_popularity_idx"),
            # Recommender: the in-memory index reads (id, artist, valence, energy) of catalog rows.
            models.Index(fields=["valence", "energy"], name="music_track_mood_space_idx",
                         condition=Q(in_catalog=True)),
            models.Index(fields=["genre"], name="music_track_genre_idx"),
            # Search leaves out the other ids of a song (duplicate_of set).
            models.Index(fields=["duplicate_of"], name="music_track_duplicate_of_idx"),
        ]

    def __str__(self):
        return f"{self.name} - {self.artist}"

    @property
    def spotify_url(self) -> str:
        return SPOTIFY_TRACK_URL.format(id=self.id)

    @property
    def embed_url(self) -> str:
        """Spotify's embeddable player for the track (pages load it only when Play is pressed)."""
        return SPOTIFY_EMBED_URL.format(id=self.id)

    @property
    def mood_probabilities(self) -> dict[str, float] | None:
        """``{mood: probability}`` from the track mood model, or None (a track without features)."""
        values = {mood: getattr(self, f"mood_{mood}") for mood in MOODS}
        return None if any(value is None for value in values.values()) else values

    @property
    def genre_list(self) -> list[str]:
        return [genre for genre in self.genres.split(",") if genre]


class Playlist(models.Model):
    """A user's named, ordered list of tracks. ``uuid`` is the public id."""

    NAME_MAX_LENGTH = 100
    DESCRIPTION_MAX_LENGTH = 500

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playlists")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, default="")
    tracks = models.ManyToManyField(Track, through="PlaylistTrack", related_name="playlists")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="music_playlist_name_ci_unique_per_user"),
            models.CheckConstraint(condition=~Q(name=""), name="music_playlist_name_not_blank"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="music_playlist_user_new_idx")]

    def __str__(self):
        return self.name


class PlaylistTrack(models.Model):
    """A track's place in a playlist (positions 0..n-1, compacted on removal)."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="items")
    # PROTECT: removing a catalog track must never silently empty someone's playlist.
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="playlist_items")
    position = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["playlist", "position"]
        constraints = [
            models.UniqueConstraint(fields=["playlist", "track"], name="music_playlisttrack_unique_track"),
            models.UniqueConstraint(fields=["playlist", "position"], name="music_playlisttrack_unique_position"),
        ]

    def __str__(self):
        return f"{self.playlist_id}#{self.position}: {self.track_id}"


class Taste(models.Model):
    """A listener's standing choices: whether explicit tracks may be recommended. Their genres are
    ``GenrePreference`` rows; their ratings of tracks are ``TrackFeedback`` rows. No row: the
    defaults (explicit allowed, no genres)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="taste")
    explicit = models.BooleanField(default=True, help_text="explicit tracks may be recommended")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"taste of {self.user_id}"


class GenrePreference(models.Model):
    """A genre (as the catalog names it: "jazz", "r-n-b") a listener likes or never wants."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        BLOCK = "block", "Never"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="genre_preferences")
    genre = models.CharField(max_length=30)
    kind = models.CharField(max_length=5, choices=Kind.choices)

    class Meta:
        ordering = ["user", "kind", "genre"]
        constraints = [
            models.UniqueConstraint(fields=["user", "genre"], name="music_genrepreference_one_per_genre"),
            models.CheckConstraint(condition=Q(kind__in=["like", "block"]), name="music_genrepreference_kind"),
            models.CheckConstraint(condition=~Q(genre=""), name="music_genrepreference_genre_not_blank"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.genre}"


class TrackFeedback(models.Model):
    """A listener's rating of a track: "like" (its artist and genres weigh more) or "skip" (never
    recommended to them again). One rating per listener and track; deleting it undoes it."""

    class Rating(models.TextChoices):
        LIKE = "like", "Like"
        SKIP = "skip", "Skip"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="track_feedback")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="feedback")
    rating = models.CharField(max_length=4, choices=Rating.choices)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="music_trackfeedback_one_per_track"),
            models.CheckConstraint(condition=Q(rating__in=["like", "skip"]), name="music_trackfeedback_rating"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.rating} {self.track_id}"
