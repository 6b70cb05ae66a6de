// On every page: marks that scripts run (html.js), and installs the service worker that shows an
// offline page when the network is gone (templates/pwa/sw.js, served at /sw.js).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* the site works without it */ });
    });
  }
})();
