"""The board's player in parts, each small enough to hold in one's head.

- ``lease``: who may write to the board (Redis lease with fencing tokens, a per-board
  ``flock`` held while the port is open, the offline rule);
- ``status``: what the admin sees (status hash, mirror, heartbeat) and the background
  thread that is the only Redis user besides RQ: it watches for new shows and test
  patterns, renews the lease, pushes status, mirror and proof of play;
- ``proof``: the proof-of-play journal on local disk, pushed to Redis later;
- ``showcache``: the show in memory and on disk, written with backoff when the disk fails;
- ``pacer``: one item's frames on time, stopped at once when something more urgent comes;
- ``player``: what plays now (schedule, cursors, link) and the proof record of each play;
- ``rq_glue``: RQ's queue, worker and job around the player (public RQ API only);
- ``notify``: systemd's sd_notify (READY, WATCHDOG).

``signage.playout`` re-exports the names other modules import.
"""
