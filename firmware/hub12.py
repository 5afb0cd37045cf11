"""How a mono framebuffer becomes the bits a chain of HUB12 P10 modules shifts in (1/4 scan).

Pure Python, for MicroPython on the Pico (``firmware/pico/main.py``) and CPython (tests):
the order is computed once as a table of framebuffer byte indices, so turning a frame
into scan data is one table walk (viper on the board).

A P10 module is 32x16 LEDs. With A,B = phase p (0..3) it lights rows p, p+4, p+8, p+12;
for each phase it takes 128 bits: for each of its 4 byte columns (8 px each, left to
right), the bytes of rows p+12, p+8, p+4 and p, most significant bit (leftmost LED)
first - the order of the common DMD/Freetronics-style modules. Data is active low (0 lit).
Modules are chained: the bits shifted first end in the module farthest from the
controller, so each phase sends the farthest module first.
"""

MODULE_W, MODULE_H = 32, 16
PHASES = 4


def chain_rows(width: int, height: int) -> list:
    """Module positions from the controller outwards: top row left to right, then the next.

    This is the default wiring (docs/hardware.md): the controller feeds the top-left module,
    each module's output feeds the one to its right, and the last module of a row feeds the
    first of the row below.
    """
    if width % MODULE_W or height % MODULE_H:
        raise ValueError(f"a P10 board is a whole number of 32x16 modules, not {width}x{height}")
    return [(x, y) for y in range(0, height, MODULE_H) for x in range(0, width, MODULE_W)]


def scan_order(width: int, height: int, chain=None) -> list:
    """Per phase, the framebuffer byte indices in the order they are shifted out.

    ``chain``: module top-left corners from the controller outwards (default ``chain_rows``).
    The framebuffer is the mono layout of docs/protocol.md (``width // 8`` bytes a row).
    """
    modules = chain_rows(width, height)
    if chain is not None:
        given = [(int(x), int(y)) for x, y in chain]
        if sorted(given) != sorted(modules):
            raise ValueError(
                f"chain {chain} must list each module's top-left corner once: {modules} in some order"
            )
        modules = given
    stride = width // 8
    phases = []
    for p in range(PHASES):
        order = []
        for x0, y0 in reversed(modules):  # the farthest module's bits go first
            for col in range(MODULE_W // 8):
                for dy in (12, 8, 4, 0):
                    order.append((y0 + p + dy) * stride + x0 // 8 + col)
        phases.append(order)
    return phases


def scan_data(buf, order: list, out: bytearray) -> bytearray:
    """Fill ``out`` with the bytes ``order`` picks from ``buf``, inverted (the modules' 0 is lit)."""
    for i, j in enumerate(order):
        out[i] = buf[j] ^ 0xFF
    return out


# A 3x5 font for the boot screen: each glyph five rows of three bits, top row first.
FONT = {
    "0": (7, 5, 5, 5, 7),
    "1": (2, 6, 2, 2, 7),
    "2": (7, 1, 7, 4, 7),
    "3": (7, 1, 7, 1, 7),
    "4": (5, 5, 7, 1, 1),
    "5": (7, 4, 7, 1, 7),
    "6": (7, 4, 7, 5, 7),
    "7": (7, 1, 1, 2, 2),
    "8": (7, 5, 7, 5, 7),
    "9": (7, 5, 7, 1, 7),
    "A": (2, 5, 7, 5, 5),
    "B": (6, 5, 6, 5, 6),
    "D": (6, 5, 5, 5, 6),
    "R": (6, 5, 6, 5, 5),
    " ": (0, 0, 0, 0, 0),
    ":": (0, 2, 0, 2, 0),
}


def draw_text(fb, x: int, y: int, text: str) -> int:
    """Light ``text`` (FONT's characters) on a mono ``core.Framebuffer`` at (x, y); the x after it."""
    for ch in text:
        rows = FONT.get(ch.upper(), FONT[" "])
        if x + 3 > fb.width or y + 5 > fb.height:
            break
        fb.paste(x, y, 3, 5, bytes(r << 5 for r in rows))
        x += 4
    return x


def boot_screen(fb, address: int, baud: int) -> None:
    """What the board shows at power-up: its address and baud, so a technician can check both."""
    fb.clear()
    draw_text(fb, 1, 1, f"ADR {address}")
    draw_text(fb, 1, 8, f"BD {baud}")  # a P10 board is at least 16 rows high
