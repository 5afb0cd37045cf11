"""The simulator's views: a live web page, /frame.png, /stats.json, and a terminal view.

Stdlib HTTP only, so the simulator runs on a tester's laptop with nothing but the package.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from PIL import Image

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Bảng điện tử (mô phỏng) / board simulator</title>
<style>
 body{background:#111;color:#ccc;font:14px system-ui,sans-serif;margin:1em}
 canvas{background:#000;max-width:100%;image-rendering:pixelated;border:6px solid #333;border-radius:6px}
 #s{font-family:monospace;white-space:pre;margin-top:.5em}
</style></head><body>
<h1 style="font-size:1.1em">Bảng điện tử — mô phỏng / board simulator: __PROTO__ __W__×__H__ __COLOR__</h1>
<canvas id="c"></canvas><div id="s">…</div>
<script>
const P = 6, c = document.getElementById('c'), g = c.getContext('2d'), s = document.getElementById('s');
let sha = '';
function draw(img) {
  const w = img.width, h = img.height, t = document.createElement('canvas');
  t.width = w; t.height = h; const tg = t.getContext('2d'); tg.drawImage(img, 0, 0);
  const d = tg.getImageData(0, 0, w, h).data;
  c.width = w * P; c.height = h * P; g.fillStyle = '#000'; g.fillRect(0, 0, c.width, c.height);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = 4 * (y * w + x), r = d[i], gg = d[i + 1], b = d[i + 2], on = r | gg | b;
    g.fillStyle = on ? `rgb(${r},${gg},${b})` : '#1b1b1b';
    g.beginPath(); g.arc(x * P + P / 2, y * P + P / 2, P * 0.42, 0, 7); g.fill();
  }
}
async function loop() {
  for (;;) {
    try {
      const st = await (await fetch('stats.json?wait=' + sha + '&timeout=10')).json();
      s.textContent = `frames ${st.frames}  bytes ${st.bytes}  errors ${JSON.stringify(st.errors)}` +
        `  ops ${JSON.stringify(st.ops)}`;
      if (st.fb_sha256 !== sha) {
        sha = st.fb_sha256;
        const img = new Image(); img.src = 'frame.png?' + sha; await img.decode(); draw(img);
      }
    } catch (e) {
      s.textContent = 'simulator not reachable: ' + e; await new Promise(r => setTimeout(r, 1000));
    }
  }
}
loop();
</script></body></html>
"""


def terminal_view(image: Image.Image, color: bool | None = None) -> str:
    """The framebuffer in half-block characters (two LED rows a text line), for use over ssh.

    ``color`` (default: for any board that is not one-colour) draws each cell as an upper
    half block in the top LED's colour on the bottom LED's colour, with ANSI 24-bit codes,
    so a bicolour or RGB board reads right in a terminal.
    """
    if color is None:
        color = image.mode != "1"
    if color:
        return _ansi_view(image.convert("RGB"))
    img = image.convert("L")
    w, h = img.size
    px = img.tobytes()  # one byte a pixel, row after row
    lines = []
    for y in range(0, h, 2):
        row = []
        for x in range(w):
            top = px[y * w + x] > 0
            bottom = y + 1 < h and px[(y + 1) * w + x] > 0
            row.append("█" if top and bottom else "▀" if top else "▄" if bottom else " ")
        lines.append("".join(row))
    return "\n".join(lines)


def _ansi_view(img: Image.Image) -> str:
    w, h = img.size
    px = img.tobytes()  # three bytes (R, G, B) a pixel, row after row
    lines = []
    for y in range(0, h, 2):
        out: list[str] = []
        fg: bytes | None = None
        bg: bytes | None = None
        for x in range(w):
            o = (y * w + x) * 3
            top = px[o : o + 3]
            bottom = px[o + 3 * w : o + 3 * w + 3] if y + 1 < h else bytes(3)
            if top != fg:
                out.append("\x1b[38;2;{};{};{}m".format(*top))
                fg = top
            if bottom != bg:
                out.append("\x1b[48;2;{};{};{}m".format(*bottom))
                bg = bottom
            out.append("▀")
        lines.append("".join(out) + "\x1b[0m")
    return "\n".join(lines)


class SimHandler(BaseHTTPRequestHandler):
    """The simulator's pages for the simulator ``sim`` (``serve`` makes a subclass naming it)."""

    sim: Any = None

    def log_message(self, *args: object) -> None:  # keep the console for "listening on"
        pass

    def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        try:
            self._get(url)
        except ValueError as exc:  # ?address= of no board on this line, or not a number
            self._send(f"{exc}\n".encode(), "text/plain; charset=utf-8", 404)

    def _get(self, url: SplitResult) -> None:
        query = parse_qs(url.query)
        board = query.get("address", [None])[0]  # a board on a shared line
        if board is not None and not board.isdigit():
            raise ValueError(f"address {board!r}: a board address is a number, 1..127")
        address = None if board is None else int(board)
        page = self.PAGES.get(url.path)
        if page is None:
            self._send(b"not found\n", "text/plain", 404)
        else:
            page(self, query, address)

    def _page(self, query: dict[str, list[str]], address: int | None) -> None:
        spec = self.sim.spec
        page = (
            PAGE.replace("__PROTO__", self.sim.protocol)
            .replace("__W__", str(spec.width))
            .replace("__H__", str(spec.height))
            .replace("__COLOR__", spec.color)
        )
        self._send(page.encode(), "text/html; charset=utf-8")

    def _frame_png(self, query: dict[str, list[str]], address: int | None) -> None:
        self._send(self.sim.frame_png(address), "image/png")

    def _stats(self, query: dict[str, list[str]], address: int | None) -> None:
        if "wait" in query:  # long poll: answer once the frame differs from the one named
            timeout = min(30.0, float(query.get("timeout", ["10"])[0]))
            self.sim.wait_change(query["wait"][0], timeout)
        self._send(json.dumps(self.sim.stats()).encode(), "application/json")

    def _frame_txt(self, query: dict[str, list[str]], address: int | None) -> None:
        want = query.get("color", [""])[0]
        color = None if want == "" else want not in ("0", "no", "off", "false")
        text = terminal_view(self.sim.framebuffer(address), color)
        self._send(text.encode(), "text/plain; charset=utf-8")

    PAGES: dict[str, Callable[[SimHandler, dict[str, list[str]], int | None], None]] = {
        "/": _page,
        "/frame.png": _frame_png,
        "/stats.json": _stats,
        "/frame.txt": _frame_txt,
    }


def serve(sim: Any, addr: str) -> ThreadingHTTPServer:
    """An HTTP server for ``sim`` on ``HOST:PORT`` (port 0 picks a free one); not yet serving."""
    host, _, port = addr.replace("http://", "").rstrip("/").rpartition(":")
    if not port.isdigit():
        raise ValueError(f"--http {addr!r}: use HOST:PORT, e.g. 127.0.0.1:5001")
    handler = type("Handler", (SimHandler,), {"sim": sim})
    server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler)
    server.daemon_threads = True
    return server
