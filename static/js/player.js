// Play in the page. Each track's Play button (over its cover; data-play: Spotify's embed URL for
// the track) loads Spotify's player under the track when pressed, never before, so Spotify hears
// nothing about a page until the person asks. One player at a time: starting another closes the
// one playing. The button says what it does ("Play …" / "Stop …", aria-expanded) and keeps the
// focus; a status line announces where the player is; Escape on the button closes it.
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
    button.setAttribute("aria-label", (playing ? "Stop " : "Play ") + button.dataset.title);
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
    frame.title = "Spotify player: " + button.dataset.title;
    frame.allow = "autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture";
    frame.setAttribute("loading", "eager");
    player.appendChild(frame);
    row.appendChild(player);
    button.setAttribute("aria-controls", player.id);
    show(button, true);
    current = { button: button, player: player };
    status.textContent = "Spotify's player for " + button.dataset.title + " is open below the song.";
  }

  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (current && current.button === button) {
        close();
        status.textContent = "Player closed.";
      } else {
        open(button);
      }
      button.focus();
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current && current.button === button) {
        close();
        status.textContent = "Player closed.";
      }
    });
  });
})();
