"""Jinja's ``_()`` and ``ngettext()`` with the request's translations looked up once, not per call.

Flask-Babel's template callables find the catalogue anew for every message (three lookups of
its per-request namespace, the locale turned into a string, a dict probe): ~10 us a call,
and a list page says "Edit", "Delete", "%(num)d items" on every row (200+ calls). Here the
catalogue Flask-Babel returned is kept on its own per-request namespace beside the locale it
was for; a changed locale (``refresh``, ``force_locale``) is a different object and looks
the catalogue up again. Same catalogue, same strings.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_babel import get_locale, get_translations


def _translations() -> Any:
    """The catalogue Flask-Babel would use now, kept per request and locale."""
    ns = g.get("_flask_babel")
    locale = getattr(ns, "babel_locale", None) if ns is not None else None
    kept = getattr(ns, "signage_translations", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    ns = g.get("_flask_babel")
    if ns is not None:
        ns.signage_translations = (get_locale(), translations)
    return translations


def init_quick_gettext(app: Flask) -> None:
    """Replace the template callables Flask-Babel installed (call after ``Babel.init_app``)."""
    # added to the environment by jinja2.ext.i18n, which Flask-Babel loads
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
