"""Vietnamese text tools, one module per topic, re-exported here for ``from signage.text import ...``.

- :mod:`signage.text.alphabet`: the alphabet and the NFC clean-up (:func:`normalize`);
- :mod:`signage.text.legacy`: TCVN3/VNI conversion and detection (:func:`to_unicode`);
- :mod:`signage.text.dates`: dates in words (the ``{date}`` and ``{countdown}`` tokens);
- :mod:`signage.text.lunar`: the Vietnamese lunar calendar (the ``{lunar}`` token, lunar schedules).
"""

from __future__ import annotations

from signage.text.alphabet import VIETNAMESE_LETTERS, normalize
from signage.text.dates import WEEKDAYS_VI, format_countdown_vi, format_date_vi, weekday_vi
from signage.text.legacy import ENCODINGS, detect_encoding, from_unicode, to_unicode
from signage.text.lunar import LunarDate, format_lunar_vi, lunar_date, lunar_year_name, solar_date

__all__ = [
    "ENCODINGS",
    "VIETNAMESE_LETTERS",
    "WEEKDAYS_VI",
    "LunarDate",
    "detect_encoding",
    "format_countdown_vi",
    "format_date_vi",
    "format_lunar_vi",
    "from_unicode",
    "lunar_date",
    "lunar_year_name",
    "normalize",
    "solar_date",
    "to_unicode",
    "weekday_vi",
]
