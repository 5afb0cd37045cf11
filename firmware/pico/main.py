# Firmware for a Raspberry Pi Pico (RP2040) driving HUB12 P10 modules: MicroPython only.
#
# Copy to the Pico as main.py with firmware/__init__.py, firmware/core.py and
# firmware/hub12.py under /firmware, and a board.json (docs/hardware.md). It listens on a
# UART behind an RS-485 transceiver, answers the native protocol with firmware.core (the
# code the simulator runs), and scans the modules with a PIO state machine fed by DMA.
# Everything protocol-shaped lives in the core; this file only moves bytes and pins.
import json
import time

import micropython
import rp2
from machine import PWM, UART, WDT, Pin, Timer

from firmware import hub12
from firmware.core import Receiver

DEFAULTS = {
    "address": 1,
    "baud": 9600,
    "width": 192,
    "height": 32,
    "uart": 0,
    "tx": 0,
    "rx": 1,
    "de": 2,  # RS-485: DI, RO, and DE with /RE tied to it
    "r": 10,
    "clk": 11,
    "stb": 12,
    "a": 13,
    "b": 14,
    "oe": 15,  # HUB12, through a 74HCT245
    "chain": None,  # module corners from the controller outwards; default: rows, left to right
    "refresh_hz": 120,
    "shift_hz": 8_000_000,
}


def load_config() -> dict:
    config = dict(DEFAULTS)
    try:
        with open("board.json") as f:
            config.update(json.load(f))
    except OSError:
        pass  # no board.json: the defaults, shown on the boot screen
    return config


@rp2.asm_pio(
    out_init=rp2.PIO.OUT_HIGH,
    sideset_init=rp2.PIO.OUT_LOW,
    out_shiftdir=rp2.PIO.SHIFT_LEFT,
    autopull=True,
    pull_thresh=8,
)
def shift_out():
    # one bit a clock: data on R, then CLK rises (the modules sample on the rising edge)
    out(pins, 1).side(0)
    nop().side(1)


@micropython.viper
def remap(out: ptr8, buf: ptr8, order: ptr16, n: int):
    # the scan data of one phase: the framebuffer bytes in shift order, inverted (0 is lit)
    for i in range(n):
        out[i] = buf[order[i]] ^ 0xFF


class Panel:
    """The modules: phase by phase, latch what PIO shifted, select the rows, light them."""

    PIO0_TX0 = 0x50200010  # the TX FIFO of PIO0's state machine 0, DMA writes there
    DREQ_PIO0_TX0 = 0

    def __init__(self, config: dict, fb) -> None:
        self.fb = fb
        w, h = config["width"], config["height"]
        self.order = [bytearray(0) for _ in range(hub12.PHASES)]
        for p, order in enumerate(hub12.scan_order(w, h, config["chain"])):
            table = bytearray(2 * len(order))
            for i, j in enumerate(order):
                table[2 * i], table[2 * i + 1] = j & 0xFF, j >> 8  # little-endian uint16 for viper
            self.order[p] = table
        self.n = len(self.order[0]) // 2
        self.data = [bytearray(self.n) for _ in range(hub12.PHASES)]
        self.stb, self.a, self.b = (Pin(config[k], Pin.OUT, value=0) for k in ("stb", "a", "b"))
        self.oe = PWM(Pin(config["oe"]), freq=20_000, duty_u16=0)  # OE active low: duty = off-time
        self.sm = rp2.StateMachine(
            0, shift_out, freq=config["shift_hz"], out_base=Pin(config["r"]), sideset_base=Pin(config["clk"])
        )
        self.sm.active(1)
        self.dma = rp2.DMA()
        self.ctrl = self.dma.pack_ctrl(size=0, inc_write=False, treq_sel=self.DREQ_PIO0_TX0)
        self.phase = 0
        self.level = 255
        self.dirty = True
        self._remap()  # never shift the zeroed buffers: 0 lights every LED
        self.timer = Timer(freq=config["refresh_hz"] * hub12.PHASES, mode=Timer.PERIODIC, callback=self._scan)

    def brightness(self, level: int) -> None:
        self.level = level

    def changed(self) -> None:
        """The framebuffer changed: rebuild the scan data before the next frame."""
        self.dirty = True

    def _remap(self) -> None:
        self.dirty = False
        for q in range(hub12.PHASES):
            remap(self.data[q], self.fb.buf, self.order[q], self.n)

    def _scan(self, _timer) -> None:
        if self.dma.active():
            return  # the last phase is still shifting: skip a beat rather than tear
        p = self.phase
        self.oe.duty_u16(0xFFFF)  # dark while latching
        self.stb.value(1)
        self.stb.value(0)
        self.a.value(p & 1)
        self.b.value(p >> 1)
        self.oe.duty_u16(0xFFFF - self.level * 257)  # brightness by on-time
        self.phase = nxt = (p + 1) % hub12.PHASES
        if nxt == 0 and self.dirty:  # a new frame starts at phase 0, never mid-refresh
            self._remap()
        self.dma.config(read=self.data[nxt], write=self.PIO0_TX0, count=self.n, ctrl=self.ctrl, trigger=True)


class Line:
    """The UART behind a MAX485: receive always, drive the pair only while answering."""

    def __init__(self, config: dict) -> None:
        self.de = Pin(config["de"], Pin.OUT, value=0)
        self.uart = UART(
            config["uart"],
            baudrate=config["baud"],
            tx=Pin(config["tx"]),
            rx=Pin(config["rx"]),
            rxbuf=4096,
            timeout=0,
        )

    def read(self):
        return self.uart.read() if self.uart.any() else None

    def answer(self, data: bytes) -> None:
        self.de.value(1)
        self.uart.write(data)
        self.uart.flush()  # until the last stop bit is out, then let go of the pair
        self.de.value(0)


def main() -> None:
    config = load_config()
    wdt = WDT(timeout=4000)  # a hang reboots the board within 4 s
    rx = Receiver(config["width"], config["height"], "mono", config["address"])
    hub12.boot_screen(rx.fb, config["address"], config["baud"])
    try:
        panel = Panel(config, rx.fb)
    except ValueError as exc:  # a board.json chain that does not fit: say so, scan in rows
        print("board.json:", exc)
        config["chain"] = None
        panel = Panel(config, rx.fb)
    rx.on_frame = panel.changed
    line = Line(config)
    idle_since = time.ticks_ms()
    while True:
        wdt.feed()
        data = line.read()
        if data:
            idle_since = time.ticks_ms()
            for answer in rx.feed(data):
                line.answer(answer)
            panel.brightness(rx.brightness)
        elif rx.receiving() and time.ticks_diff(time.ticks_ms(), idle_since) > 500:
            rx.idle()  # half a packet and then silence: drop it, as the simulator does
        rx.tick()


main()
