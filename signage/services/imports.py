"""Playlist files (TOML, or an export .zip) into the database: all of a checked bundle, or nothing.

``signage.bundle.read_path`` checks the files into a ``Bundle`` without the database; this
writes one in a single transaction, so a bundle naming something that exists neither in the
files nor in the database (``BundleError``) leaves the database as it was.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from signage.bundle import Bundle, apply


def import_bundle(session: Session, bundle: Bundle) -> dict[str, int]:
    """Write ``bundle`` and commit; how many of each kind it brought (for the summary)."""
    try:
        apply(session, bundle)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return bundle.counts()
