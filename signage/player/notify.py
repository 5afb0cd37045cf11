"""systemd's sd_notify, without a dependency: READY=1 at start, WATCHDOG=1 while playing.

With ``WatchdogSec=`` in the unit, systemd kills (SIGABRT, then SIGKILL) and restarts a
worker that stops sending WATCHDOG=1, which a process frozen by SIGSTOP or stuck in a
system call cannot send. Outside systemd (no ``NOTIFY_SOCKET``) this does nothing.
"""

from __future__ import annotations

import os
import socket


def notify(message: str) -> bool:
    """Send ``message`` to systemd; False when not run by systemd or the socket is gone."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError:
        return False
    return True


def watchdog_interval() -> float | None:
    """Half of systemd's watchdog period for this process (seconds), or None without one."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return int(usec) / 2_000_000
    except ValueError:
        return None
