// Keep a notice's page current: ask its status.json every two seconds and rewrite each
// board's row (no inline script: the page's CSP is default-src 'self').
(function () {
  var table = document.getElementById("notice-boards");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-status-url");
  var fields = ["label", "since", "detail", "readback", "expected"];

  function update(data) {
    (data.boards || []).forEach(function (row) {
      var tr = table.querySelector('tr[data-board="' + row.board + '"]');
      if (!tr) { return; }
      fields.forEach(function (name) {
        var cell = tr.querySelector('[data-field="' + name + '"]');
        if (!cell) { return; }
        var text = row[name] || (name === "detail" ? "" : "\u2014");
        var target = cell.querySelector("code") || cell;
        target.textContent = text;
        if (name === "label") { cell.className = "state-" + row.state; }
      });
    });
    return data.over;
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var over = data ? update(data) : false;
        if (!over) { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
