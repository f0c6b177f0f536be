// beifen: the few behaviours plain HTML lacks. No framework, no build step.
"use strict";
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
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false; bar.value = 0;
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total); };
      xhr.onload = function () {
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
      xhr.onerror = function () { status.textContent = form.dataset.fail + xhr.statusText; status.className = "error"; };
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

  // The staff page works offline as an installed app shell.
  if ("serviceWorker" in navigator && document.body.dataset.sw !== "off" && location.pathname.indexOf("/staff") === 0) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
})();
