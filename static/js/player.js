// Play in the page. Each track's Play button (over its cover; data-play: Spotify's embed URL for
// the track) loads Spotify's player under the track when pressed, never before, so Spotify hears
// nothing about a page until the person asks. One player at a time: starting another closes the
// one playing. The button says what it does ("Play …" / "Stop …", aria-expanded) and keeps the
// focus; a status line announces where the player is; Escape on the button closes it. Its words come
// from Django's JavaScript catalogue (gettext, interpolate: /jsi18n/, loaded before every script).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-play]");
  if (!buttons.length) return;

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var current = null; // {button, player}

  function show(button, playing) {
    button.setAttribute("aria-expanded", playing ? "true" : "false");
    var label = playing ? gettext("Stop %(title)s") : gettext("Play %(title)s");
    button.setAttribute("aria-label", interpolate(label, {title: button.dataset.title}, true));
    button.classList.toggle("is-playing", playing);
  }

  function close() {
    if (!current) return;
    current.player.remove();
    current.button.removeAttribute("aria-controls");
    show(current.button, false);
    current = null;
  }

  function open(button) {
    close();
    var row = button.closest("li") || button.parentNode;
    var player = document.createElement("div");
    player.className = "player";
    player.id = "player-" + button.dataset.track + "-" + Date.now();
    var frame = document.createElement("iframe");
    frame.src = button.dataset.play;
    frame.title = interpolate(gettext("Spotify player: %(title)s"), {title: button.dataset.title}, true);
    frame.allow = "autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture";
    frame.setAttribute("loading", "eager");
    player.appendChild(frame);
    row.appendChild(player);
    button.setAttribute("aria-controls", player.id);
    show(button, true);
    current = { button: button, player: player };
    status.textContent = interpolate(gettext("Spotify's player for %(title)s is open below the song."),
                                     {title: button.dataset.title}, true);
  }

  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (current && current.button === button) {
        close();
        status.textContent = gettext("Player closed.");
      } else {
        open(button);
      }
      button.focus();
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current && current.button === button) {
        close();
        status.textContent = gettext("Player closed.");
      }
    });
  });
})();
