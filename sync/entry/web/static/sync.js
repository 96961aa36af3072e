// Follows a running sync: polls the status endpoint, appends new progress lines, and reloads the
// page when the run has ended so the server renders the result. Without JavaScript the page
// refreshes itself instead (meta refresh in <noscript>).
(function () {
  "use strict";
  var section = document.getElementById("sync");
  if (!section || section.getAttribute("data-state") !== "running") { return; }
  var url = section.getAttribute("data-status-url");
  var list = document.getElementById("sync-lines");
  var result = document.getElementById("sync-result");

  function show(status) {
    var lines = status.lines || [];
    for (var i = list.children.length; i < lines.length; i++) {
      var item = document.createElement("li");
      item.textContent = lines[i];  // text, never HTML: progress lines quote the boards
      list.appendChild(item);
    }
    result.textContent = status.summary || "";
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.state === "running") { window.setTimeout(poll, 1000); }
        else { window.location.replace(window.location.pathname); }  // drops ?already=1
      })
      .catch(function () { window.setTimeout(poll, 3000); });  // a restart or a flaky phone network
  }
  window.setTimeout(poll, 300);
})();
