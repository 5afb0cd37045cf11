"""The board side of the native protocol: one receiver core for the firmware and the simulator.

``firmware.core`` runs unchanged on MicroPython (the Raspberry Pi Pico behind a real board)
and on CPython (``signage sim --protocol native``), so the simulator is the firmware.
``firmware/pico/`` holds the thin hardware layer that only runs on the board.
"""
