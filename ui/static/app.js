// beifen: the few behaviours plain HTML lacks. No framework, no build step.
"use strict";
// Script errors and slow pages go to the server, de-identified there (clause 1.2.2b): the page,
// the message, nothing about the user.
(function () {
  var sent = 0;
  function report(kind, message) {
    if (sent++ >= 5 || !navigator.sendBeacon) return;
    var body = JSON.stringify({ kind: kind, app: "web", where: location.pathname, message: String(message).slice(0, 300) });
    navigator.sendBeacon("/api/v1/reports", new Blob([body], { type: "application/json" }));
  }
  window.addEventListener("error", function (e) { report("error", e.message || "error"); });
  window.addEventListener("unhandledrejection", function (e) { report("error", (e.reason && e.reason.message) || "unhandled rejection"); });
  window.addEventListener("load", function () {
    var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (nav && nav.duration > 5000) report("slow", "page load " + Math.round(nav.duration / 1000) + " s");
  });
})();
(function () {
  // Upload: drag and drop or pick files; each goes up with a progress bar, then the page reloads.
  var form = document.getElementById("upload");
  if (form) {
    var input = document.getElementById("upload-file");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var send = function (files) {
      if (!files || !files.length) return;
      var data = new FormData();
      var total = 0;
      for (var i = 0; i < files.length; i++) { data.append("file", files[i], files[i].name); total += files[i].size; }
      var xhr = new XMLHttpRequest();
      var id = Math.random().toString(36).slice(2) + Date.now().toString(36);
      var poll = null;
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-Upload-ID", id);
      bar.hidden = false; bar.value = 0;
      // The first half of the bar is sending, the second the server reading what it got.
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded * 50 / e.total); };
      xhr.upload.onload = function () {
        status.textContent = form.dataset.reading;
        poll = setInterval(function () {
          fetch("/app/upload/progress?id=" + encodeURIComponent(id), { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (p) { if (p.known) { bar.value = 50 + Math.round(p.percent / 2); status.textContent = form.dataset.reading + " " + p.percent + "%"; } })
            .catch(function () {});
        }, 400);
      };
      xhr.onload = function () {
        if (poll) clearInterval(poll);
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) {}
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          status.textContent = form.dataset.done;
          window.location.href = body.url || window.location.href;
        } else {
          status.textContent = form.dataset.fail + (body.error || xhr.statusText);
          status.className = "error";
        }
      };
      xhr.onerror = function () { if (poll) clearInterval(poll); status.textContent = form.dataset.fail + xhr.statusText; status.className = "error"; };
      xhr.send(data);
    };
    input.addEventListener("change", function () { send(input.files); });
    form.addEventListener("dragover", function (e) { e.preventDefault(); form.classList.add("over"); });
    form.addEventListener("dragleave", function () { form.classList.remove("over"); });
    form.addEventListener("drop", function (e) { e.preventDefault(); form.classList.remove("over"); send(e.dataTransfer.files); });
  }

  // Review: take the player's position into the comment, and seek from a comment's time.
  var player = document.getElementById("player");
  if (player) {
    var now = document.getElementById("c-now");
    if (now) now.addEventListener("click", function () { document.getElementById("c-at").value = Math.floor(player.currentTime); });
    document.querySelectorAll("[data-seek]").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); player.currentTime = parseFloat(a.dataset.seek); player.play(); });
    });
  }

  // Task progress on the manager's page follows the calls as they are logged.
  var taskRows = document.querySelectorAll("tr[data-task]");
  if (taskRows.length) {
    setInterval(function () {
      taskRows.forEach(function (row) {
        fetch("/api/v1/tasks/" + row.dataset.task + "/report", { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (rep) {
            if (!rep) return;
            var dials = 0, connected = 0;
            rep.rows.forEach(function (x) { if (x.day === "" && x.staff_id === 0) { dials = x.dials; connected = x.connected; } });
            var cell = row.querySelector(".progress");
            var parts = [dials, connected];
            cell.textContent = cell.dataset.format.replace(/%d/g, function () { return parts.shift(); });
          })
          .catch(function () {});
      });
    }, 10000);
  }

  // The staff page works offline as an installed app shell.
  if ("serviceWorker" in navigator && document.body.dataset.sw !== "off" && location.pathname.indexOf("/staff") === 0) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
})();
