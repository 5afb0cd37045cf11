"""The quick ``datetimeformat`` filter prints what Flask-Babel prints, in the office's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask_babel import force_locale, format_datetime

from signage.web.stamps import NUMERIC, datetimeformat

MOMENTS = [
    datetime(2026, 12, 4, 20, 59, 7),  # naive: UTC, the next day in Hà Nội
    datetime(2026, 3, 29, 0, 30, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, 59, tzinfo=timezone(timedelta(hours=-5))),
    datetime(987, 1, 2, 3, 4, 5),  # years below 1000 keep four digits, as Babel writes them
]


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "Europe/Paris"])
def test_the_numeric_patterns_match_babel(app: Flask, zone: str) -> None:
    app.config["TIMEZONE"] = zone
    for language in ("vi", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            for pattern in NUMERIC:
                for moment in MOMENTS:
                    assert datetimeformat(moment, pattern) == format_datetime(moment, pattern), (
                        moment,
                        pattern,
                    )
            assert datetimeformat(MOMENTS[0], "EEEE dd/MM") == format_datetime(MOMENTS[0], "EEEE dd/MM")


def test_templates_use_it(app: Flask) -> None:
    assert app.jinja_env.filters["datetimeformat"] is datetimeformat


def test_template_messages_follow_a_changed_locale(app: Flask) -> None:
    """The catalogue kept for the request's templates is dropped when the locale changes."""
    with app.test_request_context():
        page = app.jinja_env.from_string(
            "{{ _('Queues') }} {{ ngettext('%(num)d item', '%(num)d items', 2) }}"
        )
        with force_locale("vi"):
            assert page.render() == "Hàng đợi 2 mục"
        with force_locale("en"):
            assert page.render() == "Queues 2 items"
        with force_locale("vi"):
            assert page.render() == "Hàng đợi 2 mục"
