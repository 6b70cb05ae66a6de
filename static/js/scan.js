// The scan page: live webcam preview (mirrored), capture to a JPEG, POST it with the CSRF token,
// show progress, then go to the result page. Without a camera (none, denied, unsupported) it
// says so and the upload form (which works without JavaScript) is the way in.
(function () {
  "use strict";

  var form = document.getElementById("scan-form");
  if (!form) return;
  var video = document.getElementById("camera-video");
  var still = document.getElementById("capture-still");
  var placeholder = document.getElementById("camera-placeholder");
  var status = document.getElementById("camera-status");
  var errorBox = document.getElementById("camera-error");
  var captureButton = document.getElementById("capture-button");
  var uploadButton = document.getElementById("upload-button");
  var uploadInput = form.querySelector("input[type=file][name=image]");
  var progress = document.getElementById("scan-progress");
  var progressText = document.getElementById("scan-progress-text");
  var stream = null;
  var busy = false;

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

  function setBusy(on, text) {
    busy = on;
    progress.hidden = !on;
    if (text) progressText.textContent = text;
    captureButton.disabled = on || !stream;
    uploadButton.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function noCamera(reason) {
    placeholder.hidden = false;
    video.hidden = true;
    captureButton.disabled = true;
    captureButton.hidden = true;
    document.getElementById("camera-section").classList.add("camera-off");
    say(reason + " Upload a photo of your face instead.");
    document.getElementById("upload-section").classList.add("highlight");
  }

  function cameraMessage(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "Camera access was denied.";
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") {
      return "No camera was found.";
    }
    if (name === "NotReadableError" || name === "TrackStartError") {
      return "The camera is busy in another app.";
    }
    return "The camera could not be started.";
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      noCamera("This browser cannot use a camera here.");
      return;
    }
    say("Starting your camera… allow access when your browser asks.");
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
        captureButton.disabled = busy;
        say("Camera on. Look at the camera and press capture.");
      })
      .catch(function (error) {
        noCamera(cameraMessage(error));
      });
  }

  function grabFrame() {
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return Promise.reject(new Error("The camera has no picture yet. Try again in a moment."));
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.getContext("2d").drawImage(video, 0, 0, width, height); // not mirrored: the real picture
    still.src = canvas.toDataURL("image/jpeg", 0.8);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) resolve(blob);
        else reject(new Error("The photo could not be captured. Try again."));
      }, "image/jpeg", 0.92);
    });
  }

  function send(blob) {
    var data = new FormData(form);
    data.set("image", blob, "webcam.jpg");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // Not our JSON: the session ended (login page) or the server failed; follow the browser.
        if (response.redirected) {
          window.location.assign(response.url);
          return new Promise(function () {});
        }
        throw new Error("Something went wrong on our side. Please try again.");
      }
      return response.json();
    });
  }

  function capture() {
    if (busy || !stream) return;
    clearError();
    setBusy(true, "Capturing…");
    grabFrame()
      .then(function (blob) {
        video.hidden = true;
        still.hidden = false;
        setBusy(true, "Reading your mood… this takes a few seconds.");
        return send(blob);
      })
      .then(function (answer) {
        if (answer.ok) {
          setBusy(true, "Done! Opening your result…");
          window.location.assign(answer.redirect);
          return;
        }
        showError(answer.error || "The photo could not be read.", answer.hint || "");
        still.hidden = true;
        video.hidden = false;
        setBusy(false);
        captureButton.focus();
      })
      .catch(function (error) {
        showError(error.message || "The photo could not be sent. Check your connection and try again.");
        still.hidden = true;
        video.hidden = false;
        setBusy(false);
      });
  }

  captureButton.addEventListener("click", capture);

  form.addEventListener("submit", function (event) {
    if (busy) {
      event.preventDefault();
      return;
    }
    if (!uploadInput || !uploadInput.files || !uploadInput.files.length) {
      return; // the server answers with the error next to the field
    }
    // A normal form post (works without JavaScript too); just show that it is working.
    setBusy(true, "Uploading and reading your mood…");
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) setBusy(false); // back from the result page (bfcache)
  });

  startCamera();
})();
