"""Playlist files (TOML): read and check them, write them into the database, and back out.

``read_path`` checks files into a ``Bundle`` (no database); ``apply`` writes a bundle in
the caller's transaction; ``signage.exporter`` writes the database back as files. The
format is documented in docs/playlists.md.
"""

from __future__ import annotations

from signage.bundle.read import read_file, read_path
from signage.bundle.spec import FILE_FORMAT, Bundle, BundleError
from signage.bundle.write import apply

__all__ = ["FILE_FORMAT", "Bundle", "BundleError", "apply", "read_file", "read_path"]
