"""The board's player in parts, each small enough to hold in one's head.

- ``lease``: who may write to the board (Redis lease with fencing tokens, a per-board
  ``flock`` held while the port is open, the offline rule);
- ``status``: what the admin sees (status hash, mirror, heartbeat) and the background
  thread that is the only Redis user besides RQ: it renews the lease, pushes status,
  mirror and proof of play, and reads the newest show's stamp and test-pattern requests;
- ``watch``: tells that thread when those keys change (Redis client tracking), so it
  does not poll;
- ``proof``: the proof-of-play journal on local disk, pushed to Redis later;
- ``record``: the proof record of one play (what, when, how long it should last);
- ``showcache``: the show in memory and on disk, written with backoff when the disk fails;
- ``state``: what one board's player keeps between items (show, cursors, lease, link,
  cache, journal, status), shared with the status thread;
- ``board_link``: the open link, behind the port lock, reopened only when the board's
  settings change, with the brightness sent and the board's capabilities;
- ``player``: what plays now (schedule, cursors, link) and how one item is played;
- ``interrupt``: the check before every frame that ends an item early (a stop, a lost
  lease, a newer show that changes it, a test pattern, a notice starting or ending);
- ``pacer``: one item's frames on time, stopped at once when something more urgent comes;
- ``onboard``: a scroll the board steps itself (SCROLL), when the board can;
- ``pattern``: the administrator's test pattern;
- ``rq_glue``: RQ's queue, worker and job around the player (public RQ API only);
- ``bus``: one worker for several boards on one RS-485 line;
- ``clock``: the clocks the player reads (UTC, the board's local time);
- ``notify``: systemd's sd_notify (READY, WATCHDOG).

None of them imports Flask. ``signage.playout`` re-exports the names other modules import.
"""
