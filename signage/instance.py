"""The instance folder is private: it holds the password hashes, the secret key and the logs.

Everything the program creates there is readable by its own user only (umask 077), and every
start tightens what an earlier version, a restore or a careless ``cp`` left open: folders
0700, files 0600. A folder that other users could write to, or that belongs to someone else,
is reported, because then the program cannot vouch for what it reads from it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

#: Bits nobody but the owner gets on anything the program creates.
UMASK = 0o077


def make_private(path: Path) -> list[str]:
    """Create ``path`` (0700), set umask 077 for this process, tighten what it holds.

    Returns the warnings it logged (a world-writable folder, another owner), for the CLI and
    the tests; the program goes on, since refusing to start would leave the board dark.
    """
    os.umask(UMASK)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    warnings = _check_owner_and_mode(path)
    for problem in warnings:
        log.warning("%s", problem)
    _tighten(path)
    return warnings


def _check_owner_and_mode(path: Path) -> list[str]:
    info = path.stat()
    found = []
    if info.st_uid != os.geteuid():
        found.append(
            f"instance folder {path} belongs to user id {info.st_uid}, not to this user "
            f"({os.geteuid()}): run signage as the folder's owner, or chown it"
        )
    if info.st_mode & stat.S_IWOTH:
        found.append(
            f"instance folder {path} could be written by any user on this machine; "
            f"it is made private now (chmod 700): check nothing was put there"
        )
    return found


def _tighten(root: Path) -> None:
    """Folders 0700 and files 0600 below ``root``, for entries this user owns."""
    uid = os.geteuid()
    for folder, dirs, files in os.walk(root):
        _chmod(Path(folder), 0o700, uid)
        for name in files:
            _chmod(Path(folder) / name, 0o600, uid)
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]


def _chmod(path: Path, mode: int, uid: int) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != uid or stat.S_IMODE(info.st_mode) == mode:
            return
        path.chmod(mode)
    except OSError as exc:  # a read-only mount: reported, the board still plays
        log.warning("could not make %s private (%s)", path, exc.strerror or exc)
