// The urgent notice on each chosen board, as that board will show it, while it is typed:
// the server's renderer draws it (the slogan preview, with the board's size and LED colour).
(function () {
  var box = document.getElementById("notice-preview");
  if (!box) { return; }
  var form = box.previousElementSibling;
  var timer = null;

  function chosen(figure) {
    if (form.elements.all_boards && form.elements.all_boards.checked) { return true; }
    var select = form.elements.boards;
    if (!select) { return false; }
    return Array.prototype.some.call(select.options, function (o) {
      return o.selected && o.value === figure.getAttribute("data-board-id");
    });
  }

  function update() {
    var text = form.elements.text.value.trim();
    var any = false;
    box.querySelectorAll("figure").forEach(function (figure) {
      var img = figure.querySelector("img");
      var show = !!text && chosen(figure);
      figure.hidden = !show;
      if (!show) { return; }
      any = true;
      var params = new URLSearchParams({text: text, effect: form.elements.effect.value, color: "#ff0000",
                                        board: figure.getAttribute("data-slug"), scale: "2"});
      img.onload = function () { img.hidden = false; };
      img.onerror = function () { img.hidden = true; };
      img.src = box.getAttribute("data-png") + "?" + params.toString();
    });
    box.hidden = !any;
  }

  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
  form.addEventListener("change", update);
  update();
})();
