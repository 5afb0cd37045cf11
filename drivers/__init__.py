"""Board drivers: pixel formats, serial links, protocol codecs and the board simulator.

This package knows bytes and pixels, never Flask, the database or the schedule, so the
simulator and a worker on a small computer next to the board can use it alone.
"""
