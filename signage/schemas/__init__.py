"""The record schemas every input path loads through (the API, playlist files); Flask-free.

See ``signage.schemas.records`` for the records and ``signage.schemas.fields`` for how a
value is checked and in whose words it is refused. The names exported here are the records'
own ``__all__``: one list, kept beside the schemas it names.
"""

from __future__ import annotations

from signage.schemas.records import *  # noqa: F403 - exactly records.__all__
from signage.schemas.records import __all__ as __all__
