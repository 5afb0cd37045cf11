// Refresh each board's mirror image about once a second, without reloading the page.
(function () {
  function refresh() {
    document.querySelectorAll("img[data-live]").forEach(function (img) {
      var base = img.src.split("?")[0];
      var next = new Image();
      next.onload = function () { img.src = next.src; };
      next.src = base + "?t=" + Date.now();
    });
  }
  setInterval(refresh, 1000);
})();
