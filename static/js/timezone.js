// The browser's time zone (Intl), for the pages that take it:
// - <input type="hidden" name="time_zone" data-browser-time-zone>: filled in (sign-up, log in);
// - <button data-use-browser-time-zone="select-id">: shown when the browser's zone differs from the
//   select's value, and picks it there (profile).
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    input.value = zone;
  });
  document.querySelectorAll("button[data-use-browser-time-zone]").forEach(function (button) {
    var select = document.getElementById(button.dataset.useBrowserTimeZone);
    if (!select || select.value === zone) return;
    var known = Array.prototype.some.call(select.options, function (option) { return option.value === zone; });
    if (!known) return;
    button.querySelector("[data-zone-name]").textContent = zone.replace(/_/g, " ");
    button.hidden = false;
    button.addEventListener("click", function () {
      select.value = zone;
      button.hidden = true;
      select.focus();
    });
  });
})();
