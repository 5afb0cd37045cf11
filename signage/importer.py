"""Read playlist files (TOML) and put them into the database, all or nothing.

The work is in ``signage.bundle``; this module keeps the first importer's names for its
callers (``signage import``, the demo's seed).
"""

from __future__ import annotations

from signage.bundle import FILE_FORMAT, Bundle, BundleError, apply, read_file, read_path

__all__ = ["FILE_FORMAT", "Bundle", "BundleError", "apply", "read_file", "read_path"]
