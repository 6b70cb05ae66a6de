"""Playlist pages: list and create, open (with its tracks), rename, delete, remove a track, add a
track found by a search; the taste page and the like / skip buttons of track rows; a track's
generated artwork. Thin: they call music's selectors and services, as the API does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from accounts.middleware import time_zone_exempt
from music import selectors, services
from music import taste as taste_services
from music.forms import PlaylistForm, PlaylistRenameForm, TasteForm, TrackForm, TrackSearchForm
from music.recommender import catalog_genres
from vexora.errors import DomainError, NotFound
from vexora.web import form_error, form_status, next_url, or_404, sentence, wants_json

ARTWORK_CACHE_SECONDS = 365 * 24 * 3600  # the URL's ?v= digest changes with the artwork
ARTWORK_UNVERSIONED_CACHE_SECONDS = 3600


@time_zone_exempt
@require_safe
def track_cover(request, track_id):
    """A track's generated artwork (SVG), shown until its cover is known. Public: pages' ``<img>``
    and the API's clients load it. Cached for a year when asked for with the current ``?v=``
    digest. Serving it means the track is being shown without a cover: the cover is asked for in
    the background."""
    artwork = or_404(selectors.track_artwork, track_id=track_id)
    if artwork.track is not None and not artwork.track.thumbnail:
        services.tracks_attach_covers(tracks=[artwork.track])
    response = HttpResponse(artwork.svg, content_type="image/svg+xml; charset=utf-8")
    current = request.GET.get("v") == artwork.version
    age = ARTWORK_CACHE_SECONDS if current else ARTWORK_UNVERSIONED_CACHE_SECONDS
    response["Cache-Control"] = f"public, max-age={age}" + (", immutable" if current else "")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def playlists(request):
    form = PlaylistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            playlist = services.playlist_create(user=request.user, name=form.cleaned_data["name"],
                                                description=form.cleaned_data["description"])
        except DomainError as exc:
            form_error(form, exc, field="name")
        else:
            messages.success(request, _("Playlist “%(name)s” created. Add songs to it below.") % {"name": playlist.name})
            return redirect("music:playlist", playlist_uuid=playlist.uuid)
    context = {"form": form, "playlists": selectors.playlist_list(user=request.user)}
    return render(request, "music/playlists.html", context, status=form_status(request, form))


def _playlist_page(request, playlist, *, rename_form=None):
    search_form = TrackSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if search_form.is_bound and search_form.is_valid():
        try:
            results = selectors.track_search(query=search_form.cleaned_data["q"])
        except DomainError as exc:
            form_error(search_form, exc, field="q")
    in_playlist = {item.track_id for item in playlist.items.all()}
    context = {
        "playlist": playlist,
        "tracks": [item.track for item in playlist.items.all()],
        "rename_form": rename_form or PlaylistRenameForm(initial={"name": playlist.name}),
        "search_form": search_form,
        "results": results,
        "in_playlist": in_playlist,
    }
    context.update(taste_services.taste_page_context(user=request.user, tracks=context["tracks"]))
    return render(request, "music/playlist.html", context, status=form_status(request, rename_form, search_form))


@login_required
@require_GET
def playlist(request, playlist_uuid):
    return _playlist_page(request, or_404(selectors.playlist_get, user=request.user, playlist_uuid=playlist_uuid))


@login_required
@require_POST
def playlist_rename(request, playlist_uuid):
    playlist = or_404(selectors.playlist_get, user=request.user, playlist_uuid=playlist_uuid)
    form = PlaylistRenameForm(request.POST)
    if form.is_valid():
        old_name = playlist.name
        try:
            services.playlist_update(playlist=playlist, name=form.cleaned_data["name"])
        except DomainError as exc:
            playlist.name = old_name
            form_error(form, exc, field="name")
        else:
            messages.success(request, _("Renamed to “%(name)s”.") % {"name": playlist.name})
            return redirect("music:playlist", playlist_uuid=playlist.uuid)
    return _playlist_page(request, playlist, rename_form=form)


@login_required
@require_POST
def playlist_delete(request, playlist_uuid):
    playlist = or_404(selectors.playlist_get, user=request.user, playlist_uuid=playlist_uuid)
    name = playlist.name
    services.playlist_delete(playlist=playlist)
    messages.success(request, _("Playlist “%(name)s” deleted.") % {"name": name})
    return redirect("music:playlists")


def _track_action(request, playlist_uuid, action, done):
    playlist = or_404(selectors.playlist_get, user=request.user, playlist_uuid=playlist_uuid)
    form = TrackForm(request.POST)
    query = request.POST.get("q", "").strip()
    # Back where the person was (the same search results, or the songs), with the confirmation
    # shown right there rather than at the top of the page, out of sight.
    place = "search" if query else "songs"
    if not form.is_valid():
        messages.error(request, _("Choose a song first."), extra_tags=f"at-{place}")
    else:
        try:
            action(playlist=playlist, track_id=form.cleaned_data["track_id"])
        except DomainError as exc:
            messages.error(request, sentence(exc.message), extra_tags=f"at-{place}")
        else:
            messages.success(request, done, extra_tags=f"at-{place}")
    url = reverse("music:playlist", kwargs={"playlist_uuid": playlist.uuid})
    if query:
        return redirect(f"{url}?{urlencode({'q': query})}#search")
    return redirect(f"{url}#songs")


@login_required
@require_POST
def playlist_add_track(request, playlist_uuid):
    return _track_action(request, playlist_uuid, services.playlist_add_track, _("Song added to the playlist."))


@login_required
@require_POST
def playlist_remove_track(request, playlist_uuid):
    return _track_action(request, playlist_uuid, services.playlist_remove_track,
                         _("Song removed from the playlist."))


@login_required
@require_http_methods(["GET", "POST"])
def taste(request):
    """The listener's genres (liked, never) and the explicit setting (music.taste)."""
    current = taste_services.taste_get(user=request.user)
    genres = catalog_genres()
    initial = {"liked_genres": current.liked_genres, "blocked_genres": current.blocked_genres,
               "explicit": current.explicit}
    form = TasteForm(request.POST or None, genres=genres, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            taste_services.taste_update(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc, fields={"liked_genres": "liked_genres", "blocked_genres": "blocked_genres"})
        else:
            messages.success(request, _("Your taste was saved."))
            return redirect("music:taste")
    context = {"form": form, "taste": current}
    return render(request, "music/taste.html", context, status=form_status(request, form))


@login_required
@require_POST
def track_feedback(request, track_id):
    """Like / skip a track, or "clear" the rating (the track rows' buttons; JSON for feedback.js)."""
    rating = request.POST.get("rating", "")
    try:
        if rating == "clear":
            try:
                taste_services.track_feedback_delete(user=request.user, track_id=track_id)
            except NotFound:
                pass  # already undone (another tab)
            rating = ""
        else:
            taste_services.track_feedback_set(user=request.user, track_id=track_id, rating=rating)
    except DomainError as exc:
        if wants_json(request):
            return JsonResponse({"error": sentence(exc.message)}, status=exc.status)
        messages.error(request, sentence(exc.message))
    else:
        if wants_json(request):
            return JsonResponse({"rating": rating})
        messages.success(request, FEEDBACK_SAID[rating])
    return redirect(next_url(request, reverse("history:home")))


FEEDBACK_SAID = {"like": gettext_lazy("Liked: songs by this artist and of its genres come first now."),
                 "skip": gettext_lazy("Skipped: this song will not be recommended to you again."),
                 "": gettext_lazy("Rating removed.")}
