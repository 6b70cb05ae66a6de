"""The /spotify/* and /playlists API: thin viewsets calling selectors and services."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser

from music import selectors, services
from music import taste as taste_services
from music.serializers import (
    FeedbackInput,
    FeedbackSerializer,
    TasteInput,
    TasteSerializer,
    MusicListSerializer,
    PlaylistCreateInput,
    PlaylistDetailSerializer,
    PlaylistSerializer,
    PlaylistTrackInput,
    PlaylistUpdateInput,
    TrackSerializer,
)
from vexora.api import envelope, input_valid, paginated_envelope

ANY_SEGMENT = "[^/]+"  # ids are validated by the selectors (malformed -> 404, never a router 404 page)


def _music(tracks, request) -> dict:
    return {"music": TrackSerializer(tracks, many=True, context={"request": request}).data}


@extend_schema(tags=["music"], responses=MusicListSerializer)
class TrackViewSet(viewsets.ViewSet):
    """Tracks from the local catalog, or Spotify when configured."""

    lookup_field = "track_id"
    lookup_value_regex = ANY_SEGMENT

    @action(detail=False, methods=["get"], url_path="random-playlist")
    def random_playlist(self, request):
        # The API's clients get one answer: covers are looked up now (bounded; Spotify configured).
        tracks = services.tracks_attach_covers(tracks=selectors.tracks_random(limit=10), wait=True)
        return envelope("random playlist retrieved successfully!", _music(tracks, request))

    @extend_schema(parameters=[OpenApiParameter("search", str, required=True,
                                                description="title, artist or album words")])
    @action(detail=False, methods=["get"])
    def search(self, request):
        tracks = selectors.track_search(query=request.query_params.get("search", ""))
        return envelope("success", _music(tracks, request))

    def retrieve(self, request, track_id=None):
        track = selectors.track_get(track_id=track_id)
        return envelope("success", _music(services.tracks_attach_covers(tracks=[track], wait=True), request))

    @extend_schema(methods=["POST"], request=FeedbackInput, responses=FeedbackSerializer,
                   description="Rate a track: like (its artist and genres weigh more) or skip (never "
                               "recommended to you again). Rating again replaces the rating.")
    @extend_schema(methods=["DELETE"], request=None, responses={200: None}, description="Undo your rating.")
    @action(detail=True, methods=["post", "delete"])
    def feedback(self, request, track_id=None):
        if request.method == "DELETE":
            taste_services.track_feedback_delete(user=request.user, track_id=track_id)
            return envelope("rating removed", None)
        data = input_valid(FeedbackInput, request.data)
        feedback = taste_services.track_feedback_set(user=request.user, track_id=track_id, rating=data["rating"])
        return envelope("rating saved", {"track_id": feedback.track_id, "rating": feedback.rating})


@extend_schema(tags=["music"])
class TasteViewSet(viewsets.ViewSet):
    """The caller's taste: genres they like and never want, explicit tracks allowed or not (JSON)."""

    parser_classes = [JSONParser]

    @extend_schema(responses=TasteSerializer)
    def retrieve(self, request):
        return envelope("taste retrieved successfully!",
                        TasteSerializer(taste_services.taste_get(user=request.user)).data)

    @extend_schema(request=TasteInput, responses=TasteSerializer)
    def update(self, request):
        data = input_valid(TasteInput, request.data)
        taste = taste_services.taste_update(user=request.user, **data)
        return envelope("taste updated successfully!", TasteSerializer(taste).data, should_notify=True)


@extend_schema(tags=["playlists"])
class PlaylistViewSet(viewsets.ViewSet):
    """The caller's own playlists; another user's uuid is a 404."""

    lookup_field = "uuid"
    lookup_value_regex = ANY_SEGMENT

    def _detail(self, message, playlist, *, status=200, should_notify=True):
        playlist = selectors.playlist_get(user=self.request.user, playlist_uuid=playlist.uuid)
        data = PlaylistDetailSerializer(playlist, context={"request": self.request}).data
        return envelope(message, data, status=status, should_notify=should_notify)

    @extend_schema(responses=PlaylistSerializer(many=True))
    def list(self, request):
        return paginated_envelope(request=request, view=self, queryset=selectors.playlist_list(user=request.user),
                                  serializer_class=PlaylistSerializer, message="playlists retrieved successfully!")

    @extend_schema(request=PlaylistCreateInput, responses={201: PlaylistDetailSerializer})
    def create(self, request):
        data = input_valid(PlaylistCreateInput, request.data)
        playlist = services.playlist_create(user=request.user, **data)
        return self._detail("playlist created successfully!", playlist, status=201)

    @extend_schema(responses=PlaylistDetailSerializer)
    def retrieve(self, request, uuid=None):
        playlist = selectors.playlist_get(user=request.user, playlist_uuid=uuid)
        return envelope("playlist retrieved successfully!",
                        PlaylistDetailSerializer(playlist, context={"request": request}).data)

    @extend_schema(request=PlaylistUpdateInput, responses=PlaylistDetailSerializer)
    def partial_update(self, request, uuid=None):
        playlist = selectors.playlist_get(user=request.user, playlist_uuid=uuid)
        data = input_valid(PlaylistUpdateInput, request.data)
        playlist = services.playlist_update(playlist=playlist, **data)
        return self._detail("playlist updated successfully!", playlist)

    @extend_schema(responses={200: None})
    def destroy(self, request, uuid=None):
        playlist = selectors.playlist_get(user=request.user, playlist_uuid=uuid)
        services.playlist_delete(playlist=playlist)
        return envelope("playlist deleted successfully!", None, should_notify=True)

    @extend_schema(request=PlaylistTrackInput, responses={201: PlaylistDetailSerializer})
    @action(detail=True, methods=["post"], url_path="tracks")
    def add_track(self, request, uuid=None):
        playlist = selectors.playlist_get(user=request.user, playlist_uuid=uuid)
        data = input_valid(PlaylistTrackInput, request.data)
        services.playlist_add_track(playlist=playlist, track_id=data["track_id"])
        return self._detail("track added to playlist successfully!", playlist, status=201)

    @extend_schema(request=None, responses={200: PlaylistDetailSerializer})
    @action(detail=True, methods=["delete"], url_path=rf"tracks/(?P<track_id>{ANY_SEGMENT})")
    def remove_track(self, request, uuid=None, track_id=None):
        playlist = selectors.playlist_get(user=request.user, playlist_uuid=uuid)
        services.playlist_remove_track(playlist=playlist, track_id=track_id)
        return self._detail("track removed from playlist successfully!", playlist)
