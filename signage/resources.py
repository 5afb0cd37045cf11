"""The data files the program ships (fonts, sample playlists), found wherever it is installed.

The wheel carries the repository's ``fonts/`` and ``playlists/`` as the data packages
``signage.fonts`` and ``signage.playlists``; ``importlib.resources`` finds them in a source
checkout, an editable install, a wheel in site-packages or a zipped install alike. Callers
need real files (Pillow opens fonts by path), so a zipped install is copied out once into a
private cache folder.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


class MissingData(FileNotFoundError):
    """A data file the program ships is not where the installation should have put it."""


@lru_cache(maxsize=16)
def data_dir(package: str) -> Path:
    """A folder on disk holding the files of data package ``package`` (e.g. ``signage.fonts``).

    Kept per process: where the installation put its data does not move, and the font
    lookups of every preview ask for it (``importlib.resources`` costs ~1 ms a call)."""
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise MissingData(f"the installation has no {package} folder; reinstall signage") from exc
    if isinstance(root, Path) and root.is_dir():
        return root
    local = Path(str(root))
    if local.is_dir():  # a namespace portion or a plain folder behind a Traversable
        return local
    return _copied_out(package, root)


def _copied_out(package: str, root: Traversable) -> Path:
    """Copy a zipped data package into ``$TMPDIR/signage-<uid>/<package>`` once, privately."""
    target = Path(tempfile.gettempdir()) / f"signage-{os.getuid()}" / package
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.is_file():
            dest = target / entry.name
            data = entry.read_bytes()
            if not dest.is_file() or dest.stat().st_size != len(data):
                dest.write_bytes(data)
    return target
