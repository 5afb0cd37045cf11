"""Every write to the content, in one place: the admin's forms, the API and the importer call these.

A service function takes a SQLAlchemy ``Session`` and plain data, checks every rule (all of
them, not just the first to fail), writes, and commits: the session's audit hook records who
changed what. It raises

- ``InvalidInput`` carrying every problem with its field path (``exc.problems``), so a form
  shows each under its field and the API answers 422 with all of them;
- ``Stale`` when the caller read the record at a version someone else has since replaced;
- ``InUse`` when a delete would change what schedules play.

Every service writes through ``saved`` (commit or flush): a versioned record's UPDATE names
the version read, so of two saves racing from one version the second is refused there, as
``Stale``, and nothing of it is kept.

Callers only translate: form or JSON in, the saved record or the error out. Publishing to the
boards stays with the caller, which knows who is asking and how to say what happened.
"""

from signage.services.errors import InUse, InvalidInput, Stale, checked, saved
from signage.services.versions import fingerprint

__all__ = ["InUse", "InvalidInput", "Stale", "checked", "fingerprint", "saved"]
