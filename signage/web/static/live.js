// Refresh each board's mirror image and the words of its card about once a second, without
// reloading the page: the words come from /live.json (dashboard.card() on the server), so a
// board that stops shows it (red card, the reason in words) within a second or two.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute("data-live-url");

  function mirrors() {
    document.querySelectorAll("img[data-live]").forEach(function (img) {
      var base = img.src.split("?")[0];
      var next = new Image();
      next.onload = function () { img.src = next.src; };
      next.src = base + "?t=" + Date.now();
    });
  }

  function paint(slug, words) {
    var card = document.querySelector('[data-board="' + slug + '"]');
    if (!card) { return; }
    card.classList.toggle("problem", words.bad);
    card.querySelectorAll("[data-field]").forEach(function (el) {
      var name = el.getAttribute("data-field");
      if (!(name in words)) { return; }
      el.textContent = words[name] || (name === "since" || name === "reason" ? "" : "—");
      if (name === "reason") { el.hidden = !words.reason; }
      if (name === "state") {
        el.classList.toggle("bad", words.bad);
        el.classList.toggle("ok", !words.bad);
      }
    });
  }

  function words() {
    if (!url) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data).forEach(function (slug) { paint(slug, data[slug]); });
      })
      .catch(function () { /* the next tick tries again */ });
  }

  setInterval(function () { mirrors(); words(); }, 1000);
})();
