// Live preview while typing: the board's pixels (from the server's renderer) and lint warnings.
(function () {
  var box = document.getElementById("preview-box");
  if (!box) { return; }
  var form = document.querySelector("form.card");
  var img = document.getElementById("preview");
  var info = document.getElementById("preview-info");
  var lint = document.getElementById("lint");
  var layout = document.getElementById("preview-layout");
  var lines = document.getElementById("preview-lines");
  var gif = document.getElementById("preview-gif");
  var timer = null;
  var seq = 0;

  function query() {
    var params = new URLSearchParams();
    ["text", "effect", "speed", "color", "duration"].forEach(function (name) {
      var field = form.elements[name];
      if (field) { params.set(name, field.value); }
    });
    return params.toString();
  }

  function update() {
    var q = query();
    var mine = ++seq;
    if (!form.elements.text.value.trim()) {
      img.removeAttribute("src"); img.hidden = true; lint.textContent = ""; info.textContent = "";
      gif.hidden = true; layout.textContent = ""; lines.textContent = "";
      return;
    }
    fetch(box.dataset.json + "?" + q, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) { return; }
        lint.textContent = "";
        if (data.error) {
          info.textContent = data.error; img.removeAttribute("src"); img.hidden = true; gif.hidden = true;
          layout.textContent = ""; lines.textContent = ""; return;
        }
        info.textContent = data.board + " · " + data.seconds + " s" + (data.converted ? " · " + data.converted : "");
        layout.textContent = data.summary;
        lines.textContent = "";
        data.layout.lines.forEach(function (text) {
          var li = document.createElement("li"); li.textContent = text; lines.appendChild(li);
        });
        data.warnings.forEach(function (w) {
          var li = document.createElement("li"); li.textContent = w.message; lint.appendChild(li);
        });
        img.src = box.dataset.png + "?" + q; img.hidden = false;
        gif.href = box.dataset.gif + "?" + q; gif.hidden = false;
      });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  update();
})();
