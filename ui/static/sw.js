// beifen staff app shell: keeps the stylesheet and script for a poor connection; pages and
// data always come from the network, so nothing personal is cached.
"use strict";
var CACHE = "beifen-shell-1";
self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(["/static/app.css", "/static/app.js", "/static/icon.svg"]); }));
});
self.addEventListener("fetch", function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.pathname.indexOf("/static/") !== 0) return;
  e.respondWith(caches.match(e.request).then(function (hit) { return hit || fetch(e.request); }));
});
