"""Field types of the record schemas: a value's type, its bounds and the rule it must pass.

One field type serves every input path; only the words of the generic refusals differ, by
the ``wording`` of the schema the field is bound to. The JSON API keeps marshmallow's
("Not a valid integer.", said in the caller's language by ``signage.web.api.language``);
playlist files (``wording = "toml"``) name the value as it was written and accept the
file's own spellings (a TOML date, "03/02/2020", "07:30"). Bounds and rules are given once,
on the field, whichever words refuse them.

A refusal carries a ``signage.problem.Problem`` (a ``str`` with its English template and
params), so the API and the import page can say it in Vietnamese.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from signage.message import N_
from signage.problem import Problem
from signage.rules import InvalidInput
from signage.text import normalize

DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
HHMM_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
#: ISO weekdays: 1 = Monday .. 7 = Sunday.
MONDAY, SUNDAY = 1, 7
YEAR_RE = re.compile(r"^year (-?\d+) is out of range$")

#: Python's words for a date or time that does not exist (``date(2021, 2, 31)``).
DATE_MESSAGES = (
    N_("day is out of range for month"),
    N_("month must be in 1..12"),
    N_("hour must be in 0..23"),
    N_("minute must be in 0..59"),
    N_("second must be in 0..59"),
)

Rule = Callable[[Any], Any]


def refuse(template: str, **params: Any) -> ValidationError:
    """A refusal whose message is translatable (a ``Problem`` without a place)."""
    return ValidationError(Problem("", template, **params))


def ruled(check: Rule, value: Any) -> Any:
    """``value`` cleaned by a ``signage.rules`` check; its ``InvalidInput`` as a refusal."""
    try:
        return check(value)
    except InvalidInput as exc:
        raise refuse(exc.template, **exc.params) from None


def toml(field: fields.Field) -> bool:
    """Whether ``field`` reads a playlist file (its schema's ``wording`` is "toml")."""
    parent: Any = field.parent
    while parent is not None and not isinstance(parent, Schema):
        parent = getattr(parent, "parent", None)
    return getattr(parent, "wording", "api") == "toml"


def date_problem(exc: ValueError) -> str:
    """Why ``date()``/``time()`` refused, translatable when it is one of Python's usual reasons."""
    text = str(exc)
    if text in DATE_MESSAGES:
        return Problem("", text)
    if m := YEAR_RE.match(text):
        return Problem("", N_("year %(year)s is out of range"), year=m[1])
    return text


class _Ruled:
    """A field that passes its clean value through ``rule`` (a ``signage.rules`` check)."""

    rule: Rule | None = None

    def _ruled(self, value: Any) -> Any:
        return ruled(self.rule, value) if self.rule is not None else value


class Text(_Ruled, fields.String):
    """Text; ``limit`` characters at most, ``empty`` allowed or not, ``plain`` (no control
    characters: names are shown on lists, and PostgreSQL refuses NUL), then ``rule``.

    A file's text is NFC and trimmed before it is measured; the API's is measured as sent,
    and its rule (or the service) cleans it.
    """

    def __init__(
        self,
        limit: int | None = None,
        *,
        empty: bool = True,
        plain: bool = False,
        rule: Rule | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.limit, self.empty, self.plain, self.rule = limit, empty, plain, rule
        if limit is not None:  # the OpenAPI document tells scripts the limit
            self.metadata = {"maxLength": limit, **self.metadata}

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self):
            text = file_text(value, self.limit, self.empty)
        else:
            text = super()._deserialize(value, attr, data, **kwargs)
            if self.limit is not None or not self.empty:
                validate.Length(min=0 if self.empty else 1, max=self.limit)(text)
        if self.plain and any(unicodedata.category(ch) == "Cc" for ch in text):
            raise refuse(N_("control characters (such as NUL or a line break) are not allowed in a name"))
        return self._ruled(text)


def file_text(value: Any, limit: int | None = None, empty: bool = True) -> str:
    """Text in a file: NFC and trimmed; not empty unless allowed; at most ``limit`` characters."""
    if not isinstance(value, str):
        raise refuse(N_("expected text in quotes, got %(value)r"), value=value)
    text = normalize(value).strip()
    if not text and not empty:
        raise refuse(N_("must not be empty"))
    if limit is not None and len(text) > limit:
        raise refuse(N_("%(count)d characters; at most %(limit)d"), count=len(text), limit=limit)
    return text


class Whole(_Ruled, fields.Integer):
    """A whole number (``true`` is not one), within ``low``..``high`` when given, then ``rule``."""

    def __init__(
        self, low: int | None = None, high: int | None = None, *, rule: Rule | None = None, **kwargs: Any
    ) -> None:
        super().__init__(strict=True, **kwargs)
        self.low, self.high, self.rule = low, high, rule
        bounds = {"minimum": low, "maximum": high}
        self.metadata = {**{k: v for k, v in bounds.items() if v is not None}, **self.metadata}

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self):
            if isinstance(value, bool) or not isinstance(value, int):
                raise refuse(N_("expected a whole number, got %(value)r"), value=value)
            number = value
            if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
                raise refuse(
                    N_("%(value)s is outside %(low)s..%(high)s"), value=number, low=self.low, high=self.high
                )
        else:
            number = super()._deserialize(value, attr, data, **kwargs)
            if self.low is not None or self.high is not None:
                validate.Range(min=self.low, max=self.high)(number)
        return self._ruled(number)


class Number(_Ruled, fields.Float):
    """A number (a whole one too), then ``rule``; ``as_written`` hands a file's number to the
    rule as it was written (``0``, not ``0.0``, in the rule's message)."""

    def __init__(self, *, rule: Rule | None = None, as_written: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rule, self.as_written = rule, as_written

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise refuse(N_("expected a number, got %(value)r"), value=value)
            number = value if self.as_written else float(value)
        else:
            number = super()._deserialize(value, attr, data, **kwargs)
        return self._ruled(number)


class Flag(fields.Boolean):
    """``true`` or ``false`` (a file must write one of them, not 1 or "yes")."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self) and not isinstance(value, bool):
            raise refuse(N_("expected true or false, got %(value)r"), value=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Choice(fields.String):
    """One of ``choices``."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self.metadata = {"enum": list(choices), **self.metadata}

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self):
            if value not in self.choices:
                raise refuse(
                    N_("%(value)r is not one of %(known)s"), value=value, known=", ".join(self.choices)
                )
            return value
        text = super()._deserialize(value, attr, data, **kwargs)
        validate.OneOf(self.choices)(text)
        return text


class Day(fields.Date):
    """A day: ISO 8601 in the API; in a file a TOML date (2020-02-03), "03/02/2020" or "2020-02-03"."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if not toml(self):
            return super()._deserialize(value, attr, data, **kwargs)
        if isinstance(value, datetime) or not isinstance(value, date | str):
            raise refuse(N_('expected a date such as 2020-02-03 or "03/02/2020", got %(value)r'), value=value)
        if isinstance(value, date):
            return value
        if m := DMY_RE.match(value.strip()):
            d, mo, y = (int(g) for g in m.groups())
        elif m := ISO_RE.match(value.strip()):
            y, mo, d = (int(g) for g in m.groups())
        else:
            raise refuse(
                N_('%(value)r is not a date: write day/month/year ("03/02/2020") or 2020-02-03'), value=value
            )
        try:
            return date(y, mo, d)
        except ValueError as exc:
            raise refuse(
                N_("%(value)r is not a date that exists (%(problem)s)"),
                value=value,
                problem=date_problem(exc),
            ) from None


def clock(value: Any) -> time:
    """A file's time of day: "07:30" (or a TOML local time 07:30:00)."""
    if isinstance(value, time):
        return value
    m = TIME_RE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise refuse(N_('expected a time of day such as "07:30", got %(value)r'), value=value)
    try:
        return time(int(m[1]), int(m[2]), int(m[3] or 0))
    except ValueError as exc:
        raise refuse(
            N_("%(value)r is not a time of day (%(problem)s)"), value=value, problem=date_problem(exc)
        ) from None


class Clock(fields.String):
    """A time of day: "HH:MM" in the API, "7:30", "07:30:00" or a TOML time in a file."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata = {"pattern": HHMM_RE.pattern, **self.metadata}

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, time) else value

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self):
            return clock(value)
        if not isinstance(value, str) or not HHMM_RE.match(value):
            raise refuse(N_("Write the time as HH:MM, e.g. 22:00."))
        return datetime.strptime(value, "%H:%M").time()


class Weekdays(fields.List):
    """ISO weekdays (1 = Monday .. 7 = Sunday), loaded as digits in order ("135").

    The API takes a list of numbers; a file a list or the digits ("12345").
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Whole(MONDAY, SUNDAY), **kwargs)
        self.metadata = {"minItems": 1, "maxItems": SUNDAY, **self.metadata}

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return [int(d) for d in value] if isinstance(value, str) else value

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self):
            return self._file_days(value)
        days = super()._deserialize(value, attr, data, **kwargs)
        if not days:
            raise refuse(N_("choose at least one weekday"))
        if len(days) > SUNDAY:
            raise refuse(N_("at most the 7 days of a week"))
        return "".join(sorted({str(d) for d in days}))

    @staticmethod
    def _file_days(value: Any) -> str:
        if isinstance(value, str):
            items: list[Any] = list(value.strip())
        elif isinstance(value, list):
            items = value
        else:
            raise refuse(
                N_("expected weekdays such as [1, 2, 3, 4, 5] (1 = Monday), got %(value)r"), value=value
            )
        days = set()
        for item in items:
            day = int(item) if isinstance(item, str) and item.isdigit() else item
            if isinstance(day, bool) or not isinstance(day, int) or not MONDAY <= day <= SUNDAY:
                raise refuse(N_("%(value)r is not a weekday: use 1 (Monday) to 7 (Sunday)"), value=item)
            days.add(day)
        if not days:
            raise refuse(N_("no weekday given; leave weekdays out to play every day"))
        return "".join(str(d) for d in sorted(days))


class Many(fields.List):
    """A list; in a file, ``example`` says what should have been written when it is not one."""

    def __init__(
        self, inner: fields.Field, example: str = N_("expected a list, got %(value)r"), **kwargs: Any
    ) -> None:
        super().__init__(inner, **kwargs)
        self.example = example

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if toml(self) and not isinstance(value, list):
            raise refuse(self.example, value=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Tables(Many):
    """A list of records (``[[kind]]`` tables in a file), each loaded by ``schema``."""

    def __init__(
        self, schema: type[Schema], example: str = N_("expected a list, got %(value)r"), **kwargs: Any
    ) -> None:
        super().__init__(fields.Nested(schema), example, **kwargs)
