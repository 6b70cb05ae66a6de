// "Share these songs" on the result page: the system share sheet where the browser has one, else
// the list copied to the clipboard. Hidden where neither exists (and without JavaScript).
(function () {
  "use strict";
  var button = document.getElementById("share-button");
  if (!button) return;
  var status = document.getElementById("share-status");
  var canCopy = !!(navigator.clipboard && window.isSecureContext);
  if (!navigator.share && !canCopy) return;
  button.closest(".js-share").hidden = false;

  function copy(text) {
    if (!canCopy) return;
    navigator.clipboard.writeText(text).then(function () {
      status.textContent = gettext("Copied: paste your songs wherever you like.");
    }, function () {
      status.textContent = gettext("The songs could not be copied.");
    });
  }

  button.addEventListener("click", function () {
    var data = { title: button.dataset.title, text: button.dataset.text };
    if (navigator.share) {
      navigator.share(data).then(function () {
        status.textContent = gettext("Shared.");
      }, function (error) {
        if (error && error.name !== "AbortError") copy(data.title + "\n" + data.text);
      });
    } else {
      copy(data.title + "\n" + data.text);
    }
  });
})();
