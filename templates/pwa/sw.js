// Vexora's service worker: when a page cannot be loaded (no network), it shows the offline page
// instead of the browser's error. Pages and the API are never cached: they are always fresh.
// The cache is named after the (hashed) asset URLs, so a new release replaces the old cache.
"use strict";
var OFFLINE_URL = "{{ offline_url|escapejs }}";
var ASSETS = [{% for url in assets %}"{{ url|escapejs }}", {% endfor %}OFFLINE_URL];
var CACHE = "vexora-offline-{{ version }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("vexora-offline-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
    return;
  }
  if (ASSETS.indexOf(new URL(request.url).pathname) !== -1) { // the offline page's own assets
    event.respondWith(fetch(request).catch(function () { return caches.match(request); }));
  }
});
