"""JSON shapes of tracks and playlists (output), and the playlist inputs."""

from rest_framework import serializers

from music.models import Playlist, Track
from music.reasons import track_reason
from music.selectors import track_thumbnail


class TrackSerializer(serializers.ModelSerializer):
    """``{id, name, playlist_name, artist, album, year, duration_ms, genres, path, embed_url,
    thumbnail, reason}``: ``playlist_name`` repeats the name (API v1's clients read it), ``path``
    is the open.spotify.com link, ``embed_url`` Spotify's embeddable player for the track,
    ``thumbnail`` the album cover or the track's generated artwork (an absolute URL of this site,
    for the request's host), ``reason`` a short phrase from the audio features ("calm and
    acoustic"; empty for a track without them; led by what it shares with the listener's taste
    when the context carries a ``taste``). History and mood detection reuse it; pass the request
    in the context (``context={"request": request}``)."""

    playlist_name = serializers.CharField(source="name", read_only=True)
    year = serializers.IntegerField(source="release_year", read_only=True, allow_null=True,
                                    help_text="the album's release year (null: unknown)")
    duration_ms = serializers.IntegerField(read_only=True, allow_null=True, help_text="null: unknown")
    genres = serializers.ListField(source="genre_list", child=serializers.CharField(), read_only=True,
                                   help_text="the catalog's genres for the song (empty for Spotify-only tracks)")
    path = serializers.CharField(source="spotify_url", read_only=True)
    embed_url = serializers.CharField(read_only=True, help_text="Spotify's embed player for the track")
    thumbnail = serializers.SerializerMethodField(help_text="the album cover, or the track's generated artwork")
    reason = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = ("id", "name", "playlist_name", "artist", "album", "year", "duration_ms", "genres", "path",
                  "embed_url", "thumbnail", "reason")
        read_only_fields = fields

    def get_thumbnail(self, track: Track) -> str:
        return track_thumbnail(track=track, request=self.context.get("request"))

    def get_reason(self, track: Track) -> str:
        return track_reason(track, taste=self.context.get("taste"))


class PlaylistSerializer(serializers.ModelSerializer):
    """A playlist in lists: everything but the tracks."""

    track_count = serializers.SerializerMethodField()

    class Meta:
        model = Playlist
        fields = ("uuid", "name", "description", "created_at", "updated_at", "track_count")
        read_only_fields = fields

    def get_track_count(self, playlist: Playlist) -> int:
        count = getattr(playlist, "track_count", None)
        return count if count is not None else playlist.items.count()


class PlaylistDetailSerializer(PlaylistSerializer):
    """A playlist with its tracks in order."""

    tracks = serializers.SerializerMethodField()

    class Meta(PlaylistSerializer.Meta):
        fields = (*PlaylistSerializer.Meta.fields, "tracks")
        read_only_fields = fields

    def get_tracks(self, playlist: Playlist) -> list[dict]:
        return TrackSerializer([item.track for item in playlist.items.all()], many=True, context=self.context).data


_TEXT_ERRORS = {"invalid": "must be a string", "null": "must be a string"}


class PlaylistCreateInput(serializers.Serializer):
    # Blank and length are checked by the service (same messages for API and internal callers).
    name = serializers.CharField(required=False, allow_blank=True, default="", error_messages=_TEXT_ERRORS)
    description = serializers.CharField(required=False, allow_blank=True, default="", error_messages=_TEXT_ERRORS)
    track_ids = serializers.ListField(child=serializers.CharField(error_messages=_TEXT_ERRORS), required=False,
                                      default=list, error_messages={"not_a_list": "must be a list of track ids"})


class PlaylistUpdateInput(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, error_messages=_TEXT_ERRORS)
    description = serializers.CharField(required=False, allow_blank=True, error_messages=_TEXT_ERRORS)


class PlaylistTrackInput(serializers.Serializer):
    track_id = serializers.CharField(error_messages={"required": "this field is required",
                                                     "blank": "this field is required", **_TEXT_ERRORS})


class MusicListSerializer(serializers.Serializer):
    """``{"music": [track, ...]}`` (schema only)."""

    music = TrackSerializer(many=True)


class TasteSerializer(serializers.Serializer):
    """``{liked_genres, blocked_genres, explicit, liked_tracks, skipped_tracks}``: genres as the
    catalog names them; ``explicit``: whether explicit tracks may be recommended; the ids of the
    tracks the listener rated."""

    liked_genres = serializers.ListField(child=serializers.CharField())
    blocked_genres = serializers.ListField(child=serializers.CharField())
    explicit = serializers.BooleanField()
    liked_tracks = serializers.ListField(child=serializers.CharField(), source="liked_ids")
    skipped_tracks = serializers.ListField(child=serializers.CharField(), source="skipped_ids")


_GENRES_ERRORS = {"not_a_list": "must be a list of genres", "null": "must be a list of genres"}


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only (DRF's would take 0, "yes", "on"...)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class TasteInput(serializers.Serializer):
    """Every field optional: a list given replaces that list; ``explicit`` false leaves explicit
    tracks out of recommendations. Genres are checked against the catalog by the service."""

    liked_genres = serializers.ListField(child=serializers.CharField(error_messages=_TEXT_ERRORS), required=False,
                                         error_messages=_GENRES_ERRORS)
    blocked_genres = serializers.ListField(child=serializers.CharField(error_messages=_TEXT_ERRORS), required=False,
                                           error_messages=_GENRES_ERRORS)
    explicit = StrictBooleanField(required=False, error_messages={"invalid": "must be true or false",
                                                                        "null": "must be true or false"})


class FeedbackInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=["like", "skip"],
                                     error_messages={"invalid_choice": 'must be "like" or "skip"',
                                                     "required": "this field is required"})


class FeedbackSerializer(serializers.Serializer):
    """``{track_id, rating}``."""

    track_id = serializers.CharField()
    rating = serializers.CharField()
