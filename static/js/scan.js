// The scan page: the live webcam (mirrored) with a face guide, an optional 3-2-1 countdown,
// capture to a JPEG, POST it with the CSRF token, then the frozen photo with each step in words as
// the server reports it (NDJSON lines: "face", "songs", then the answer), then the result page.
// Without a camera (none, denied, unsupported) it says so and the upload form (which works
// without JavaScript) is the way in. Texts come from the translation catalogue (gettext, /jsi18n/);
// the server's step lines carry their words in the page's language too ("text").
(function () {
  "use strict";

  var form = document.getElementById("scan-form");
  if (!form) return;
  var section = document.getElementById("camera-section");
  var video = document.getElementById("camera-video");
  var still = document.getElementById("capture-still");
  var guide = document.getElementById("face-guide");
  var countdownBox = document.getElementById("countdown");
  var placeholder = document.getElementById("camera-placeholder");
  var steps = document.getElementById("scan-steps");
  var status = document.getElementById("camera-status");
  var errorBox = document.getElementById("camera-error");
  var captureButton = document.getElementById("capture-button");
  var countdownToggle = document.getElementById("countdown-toggle");
  var uploadButton = document.getElementById("upload-button");
  var uploadInput = form.querySelector("input[type=file][name=image]");
  var captureLabel = captureButton.innerHTML;
  var COUNTDOWN_KEY = "vexora:countdown";
  var READY = gettext("Camera on. Fit your face in the oval and press capture.");
  // What each step the server reports means, in words (the status line says the same).
  var STAGES = {
    send: { active: ["send"], text: gettext("Sending your photo…") },
    face: { done: ["send"], active: ["face", "mood"], text: gettext("Finding your face and reading your mood…") },
    songs: { done: ["send", "face", "mood"], active: ["songs"], text: gettext("Picking songs for your mood…") },
    done: { done: ["send", "face", "mood", "songs"], active: [], text: gettext("Done! Opening your result…") }
  };
  var stream = null;
  var busy = false;
  var timer = null;

  document.documentElement.classList.add("js");

  function say(text) {
    status.textContent = text;
  }

  function showError(text, hint) {
    errorBox.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = text;
    errorBox.appendChild(strong);
    if (hint) errorBox.appendChild(document.createTextNode(" " + hint));
    errorBox.hidden = false;
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.textContent = "";
  }

  function setBusy(on) {
    busy = on;
    captureButton.disabled = on || !stream;
    uploadButton.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function showStage(name, text) {
    var stage = STAGES[name];
    steps.hidden = false;
    steps.querySelectorAll("li").forEach(function (item) {
      var step = item.dataset.step;
      item.className = (stage.done || []).indexOf(step) !== -1 ? "done" :
        (stage.active.indexOf(step) !== -1 ? "active" : "");
      if (item.className === "active") item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    });
    say(text || stage.text);
  }

  function showLive() {
    steps.hidden = true;
    still.hidden = true;
    video.hidden = false;
    guide.hidden = false;
  }

  function noCamera(reason) {
    placeholder.hidden = false;
    video.hidden = true;
    guide.hidden = true;
    captureButton.disabled = true;
    captureButton.hidden = true;
    if (countdownToggle) countdownToggle.closest("label").hidden = true;
    section.classList.add("camera-off");
    say(interpolate(gettext("%(reason)s Upload a photo of your face instead."), { reason: reason }, true));
    document.getElementById("upload-section").classList.add("highlight");
  }

  function cameraMessage(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return gettext("Camera access was denied.");
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
      return gettext("No camera was found.");
    }
    if (name === "NotReadableError" || name === "TrackStartError") {
      return gettext("The camera is busy in another app.");
    }
    return gettext("The camera could not be started.");
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      noCamera(gettext("This browser cannot use a camera here."));
      return;
    }
    say(gettext("Starting your camera… allow access when your browser asks."));
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        placeholder.hidden = true;
        return video.play().catch(function () { /* autoplay is allowed for muted video */ });
      })
      .then(function () {
        if (!stream) return;
        guide.hidden = false;
        captureButton.disabled = busy;
        say(READY);
      })
      .catch(function (error) {
        noCamera(cameraMessage(error));
      });
  }

  function grabFrame() {
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return Promise.reject(new Error(gettext("The camera has no picture yet. Try again in a moment.")));
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.getContext("2d").drawImage(video, 0, 0, width, height); // not mirrored: the real picture
    still.src = canvas.toDataURL("image/jpeg", 0.8);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) resolve(blob);
        else reject(new Error(gettext("The photo could not be captured. Try again.")));
      }, "image/jpeg", 0.92);
    });
  }

  // Calls onLine for each JSON line of the body as it arrives; resolves with the last one.
  function readLines(response, onLine) {
    var last = null;
    function handle(text) {
      if (!text.trim()) return;
      last = JSON.parse(text);
      onLine(last);
    }
    if (!response.body || !response.body.getReader || !window.TextDecoder) {
      return response.text().then(function (body) {
        body.split("\n").forEach(handle);
        return last;
      });
    }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          handle(buffer + decoder.decode());
          return last;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(handle);
        return pump();
      });
    }
    return pump();
  }

  function send(blob) {
    var data = new FormData(form);
    data.set("image", blob, "webcam.jpg");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch", "Accept": "application/x-ndjson, application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/x-ndjson") !== -1) {
        return readLines(response, function (line) {
          if (line.stage && STAGES[line.stage]) showStage(line.stage, line.text);
        });
      }
      if (type.indexOf("application/json") !== -1) return response.json(); // refused before any work
      // Not our answer: the session ended (login page) or the server failed; follow the browser.
      if (response.redirected) {
        window.location.assign(response.url);
        return new Promise(function () {});
      }
      throw new Error(gettext("Something went wrong on our side. Please try again."));
    });
  }

  function failed(text, hint) {
    showError(text, hint);
    showLive();
    setBusy(false);
    say(gettext("Camera on. Try again when you are ready."));
    captureButton.focus();
  }

  function takePhoto() {
    clearError();
    setBusy(true);
    grabFrame()
      .then(function (blob) {
        video.hidden = true;
        guide.hidden = true;
        still.hidden = false;
        showStage("send");
        return send(blob);
      })
      .then(function (answer) {
        if (answer && answer.ok) {
          showStage("done");
          window.location.assign(answer.redirect);
          return;
        }
        failed((answer && answer.error) || gettext("The photo could not be read."), (answer && answer.hint) || "");
      })
      .catch(function (error) {
        failed(error.message || gettext("The photo could not be sent. Check your connection and try again."));
      });
  }

  function stopCountdown() {
    clearTimeout(timer);
    timer = null;
    countdownBox.hidden = true;
    captureButton.innerHTML = captureLabel;
    say(READY);
  }

  function countdown(left) {
    if (left === 0) {
      stopCountdown();
      takePhoto();
      return;
    }
    countdownBox.textContent = String(left);
    countdownBox.hidden = false;
    timer = setTimeout(function () { countdown(left - 1); }, 1000);
  }

  function capture() {
    if (timer) { // pressed again during the countdown: cancel it
      stopCountdown();
      return;
    }
    if (busy || !stream) return;
    if (countdownToggle && countdownToggle.checked) {
      captureButton.textContent = gettext("Cancel the countdown");
      say(gettext("Taking the photo in 3 seconds… look at the camera."));
      countdown(3);
      return;
    }
    takePhoto();
  }

  captureButton.addEventListener("click", capture);

  if (countdownToggle) {
    try {
      countdownToggle.checked = window.localStorage.getItem(COUNTDOWN_KEY) === "on";
    } catch (e) { /* storage may be off */ }
    countdownToggle.addEventListener("change", function () {
      try {
        window.localStorage.setItem(COUNTDOWN_KEY, countdownToggle.checked ? "on" : "off");
      } catch (e) { /* storage may be off */ }
    });
  }

  form.addEventListener("submit", function (event) {
    if (busy) {
      event.preventDefault();
      return;
    }
    if (!uploadInput || !uploadInput.files || !uploadInput.files.length) {
      return; // the server answers with the error next to the field
    }
    // A normal form post (works without JavaScript too); say that it is working.
    setBusy(true);
    say(gettext("Uploading your photo and reading your mood…"));
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { // back from the result page (bfcache)
      showLive();
      setBusy(false);
      say(stream ? READY : status.textContent);
    }
  });

  startCamera();
})();
