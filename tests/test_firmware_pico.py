"""firmware/pico/main.py run against stand-ins for the Pico's hardware modules.

What cannot run here (PIO, DMA, UART, pins) is replaced by recorders with the same calls
as MicroPython's ``machine``, ``rp2`` and ``micropython`` modules, so the glue between the
line, the core and the panel is exercised: answers go out with the RS-485 driver enabled
only while sending, the scan data of every phase is the HUB12 order of the framebuffer,
brightness sets OE's on-time, the watchdog is fed, half a packet is dropped after silence.
"""

from __future__ import annotations

import builtins
import json
import runpy
import time
import types
from pathlib import Path

import pytest

from drivers import native
from firmware import hub12
from firmware.core import Framebuffer

MAIN = Path(__file__).resolve().parent.parent / "firmware" / "pico" / "main.py"


class Done(Exception):  # noqa: N818 - ends the firmware's endless loop
    """The scripted line has nothing more to say."""


class Hardware:
    """Recorders standing in for the Pico's modules, sharing one event log."""

    def __init__(self, chunks: list[bytes | None]) -> None:
        self.chunks = list(chunks)  # None: a silent poll (the clock moves 0.6 s)
        self.events: list[tuple] = []
        self.clock = 0
        self.written = b""
        self.timer = None
        self.dma: list[dict] = []
        self.fed = 0

    def modules(self) -> dict[str, types.ModuleType]:
        hw = self

        class Pin:
            OUT = 1

            def __init__(self, pin: int, mode: int | None = None, value: int | None = None) -> None:
                self.pin, self.level = pin, value

            def value(self, v: int | None = None) -> int | None:
                if v is None:
                    return self.level
                self.level = v
                hw.events.append(("pin", self.pin, v))
                return None

        class UART:
            def __init__(self, uart_id: int, baudrate: int, **kw: object) -> None:
                hw.events.append(("uart", uart_id, baudrate))
                self.pending: bytes | None = None

            def any(self) -> int:
                if self.pending is None:
                    if not hw.chunks:
                        raise Done
                    chunk = hw.chunks.pop(0)
                    if chunk is None:
                        hw.clock += 600
                        return 0
                    self.pending = chunk
                return len(self.pending)

            def read(self) -> bytes | None:
                data, self.pending = self.pending, None
                return data

            def write(self, data: bytes) -> None:
                hw.events.append(("write", bytes(data)))
                hw.written += data

            def flush(self) -> None:
                hw.events.append(("flush",))

        class PWM:
            def __init__(self, pin: Pin, freq: int, duty_u16: int) -> None:
                self.pin = pin

            def duty_u16(self, v: int) -> None:
                hw.events.append(("oe", v))

        class WDT:
            def __init__(self, timeout: int) -> None:
                hw.events.append(("wdt", timeout))

            def feed(self) -> None:
                hw.fed += 1

        class Timer:
            PERIODIC = 1

            def __init__(self, freq: int, mode: int, callback: object) -> None:
                hw.timer = callback

        class StateMachine:
            def __init__(self, sm: int, program: object, freq: int, out_base: Pin, sideset_base: Pin) -> None:
                hw.events.append(("sm", freq, out_base.pin, sideset_base.pin))

            def active(self, on: int) -> None:
                pass

        class DMA:
            def pack_ctrl(self, **kw: object) -> dict:
                return kw

            def config(self, **kw: object) -> None:
                hw.dma.append({**kw, "read": bytes(kw["read"])})  # type: ignore[arg-type]

            def active(self) -> bool:
                return False

        machine = types.ModuleType("machine")
        machine.Pin, machine.UART, machine.PWM, machine.WDT, machine.Timer = Pin, UART, PWM, WDT, Timer
        rp2 = types.ModuleType("rp2")
        rp2.PIO = types.SimpleNamespace(OUT_HIGH=1, OUT_LOW=0, SHIFT_LEFT=0)
        rp2.asm_pio = lambda **kw: lambda fn: fn
        rp2.StateMachine, rp2.DMA = StateMachine, DMA
        micropython = types.ModuleType("micropython")

        def viper(fn):  # noqa: ANN001, ANN202 - MicroPython's decorator, a no-op here
            def run(out, buf, order, n):  # noqa: ANN001, ANN202 - ptr16 reads little-endian pairs
                return fn(out, buf, [order[2 * i] | order[2 * i + 1] << 8 for i in range(n)], n)

            return run

        micropython.viper = viper
        return {"machine": machine, "rp2": rp2, "micropython": micropython}


@pytest.fixture
def run_firmware(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # noqa: ANN201
    def run(chunks: list[bytes | None], config: dict) -> Hardware:
        hw = Hardware(chunks)
        for name, module in hw.modules().items():
            monkeypatch.setitem(__import__("sys").modules, name, module)
        for name in ("ptr8", "ptr16"):  # viper's types, read by the annotations
            monkeypatch.setattr(builtins, name, object, raising=False)
        monkeypatch.setattr(time, "ticks_ms", lambda: hw.clock, raising=False)
        monkeypatch.setattr(time, "ticks_diff", lambda a, b: a - b, raising=False)
        (tmp_path / "board.json").write_text(json.dumps(config))
        monkeypatch.chdir(tmp_path)
        with pytest.raises(Done):
            runpy.run_path(str(MAIN))
        return hw

    return run


def scans(fb: Framebuffer) -> list[bytes]:
    orders = hub12.scan_order(fb.width, fb.height)
    return [bytes(hub12.scan_data(fb.buf, o, bytearray(len(o)))) for o in orders]


def test_the_firmware_answers_and_shows_a_frame(run_firmware) -> None:  # noqa: ANN001
    frame = bytes(range(256)) * 3  # 192x32 mono: 768 bytes
    sent = [
        native.encode_packet(3, 1, native.FRAME | native.SYNC, b"\x00" + frame),
        native.encode_packet(3, 2, native.BRIGHTNESS, b"\x80"),
        native.encode_packet(3, 3, native.READBACK)[:5],  # half a packet, then silence
        None,
        native.encode_packet(3, 3, native.PING),
    ]
    hw = run_firmware(sent, {"address": 3, "baud": 19200})
    answers = [native.decode_packet(a) for a in hw.written.split(b"\x00")[:-1]]
    assert [(a[1], a[2]) for a in answers] == [(1, native.ACK), (2, native.ACK), (3, native.ACK)]
    assert answers[2][3][6] == 0x80 and ("uart", 0, 19200) in hw.events
    writes = [i for i, e in enumerate(hw.events) if e[0] == "write"]
    for i in writes:  # the pair is driven only around each answer, released after the flush
        assert hw.events[i - 1] == ("pin", 2, 1) and hw.events[i + 1 : i + 3] == [("flush",), ("pin", 2, 0)]
    assert hw.fed >= len(sent)
    for _ in range(8):  # two refreshes of four phases: the new frame from the second one's start
        hw.timer(None)
    fb = Framebuffer(192, 32)
    fb.load(frame)
    assert [d["read"] for d in hw.dma[-4:]] == [*scans(fb)[1:], scans(fb)[0]]  # each phase shifts the next
    assert ("oe", 0xFFFF - 0x80 * 257) in hw.events  # brightness 0x80: OE on half the time


def test_the_boot_screen_shows_address_and_baud(run_firmware) -> None:  # noqa: ANN001
    hw = run_firmware([None], {"address": 42, "baud": 115200})
    for _ in range(4):
        hw.timer(None)
    fb = Framebuffer(192, 32)
    hub12.boot_screen(fb, 42, 115200)
    assert [d["read"] for d in hw.dma[-4:]] == [*scans(fb)[1:], scans(fb)[0]]
    assert ("wdt", 4000) in hw.events and hw.written == b""


def test_a_wrong_chain_in_board_json_falls_back_to_rows(run_firmware, capsys) -> None:  # noqa: ANN001
    hw = run_firmware([None], {"address": 1, "chain": [[0, 0], [0, 0]]})  # instead of rebooting forever
    assert "board.json: chain" in capsys.readouterr().out
    for _ in range(4):
        hw.timer(None)
    fb = Framebuffer(192, 32)
    hub12.boot_screen(fb, 1, 9600)
    assert [d["read"] for d in hw.dma[-4:]] == [*scans(fb)[1:], scans(fb)[0]]
