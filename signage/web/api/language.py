"""The API in the caller's language: ``Accept-Language`` picks Vietnamese or English per request.

Our own messages (``abort(...)`` texts, our validators, ``signage.rules``' checks) are said
with Flask-Babel where they are raised: the API always runs inside a request, whose locale
``signage.web.i18n.select_locale`` takes from ``Accept-Language``.

marshmallow's and webargs' messages ("Not a valid integer.", "Unknown field.", "Must be
greater than or equal to 1 and less than or equal to 7.") are written by those libraries from
English templates held on their classes: on fields (``default_error_messages``), on the
schema, and on each validator (``Range.message_all``...). Translating them where they are
made would mean either replacing those class attributes (global: every other user of
marshmallow in the process would get our words) or re-declaring the messages of every field
and validator of every schema (and of the validators marshmallow builds itself). Instead the
finished messages are said in the request's language at the one place every API error
leaves through, ``Api.handle_http_exception``: each is matched against the library's
template (with its ``{min}``-style blanks) and the template's translation is filled in
with the same values. The templates are listed here, marked for the catalog; the tests
check that every message the fields and validators of our schemas can give is listed, so
a marshmallow upgrade that rewords one fails a test instead of answering in English.
A message that is not a known template (our own, already translated) is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from signage.problem import N_

#: Library messages without blanks (marshmallow fields and schemas, webargs' JSON body).
FIXED = frozenset(
    (
        N_("Missing data for required field."),
        N_("Field may not be null."),
        N_("Invalid value."),
        N_("Not a valid string."),
        N_("Not a valid utf-8 string."),
        N_("Not a valid integer."),
        N_("Not a valid number."),
        N_("Number too large."),
        N_("Special numeric values (nan or infinity) are not permitted."),
        N_("Not a valid boolean."),
        N_("Not a valid date."),
        N_("Not a valid datetime."),
        N_("Not a valid time."),
        N_("Not a valid naive datetime."),
        N_("Not a valid aware datetime."),
        N_("Not a valid list."),
        N_("Not a valid mapping type."),
        N_("Invalid type."),
        N_("Invalid input type."),
        N_("Unknown field."),
        N_("String does not match expected pattern."),
        N_("Invalid input."),
        N_("Invalid JSON body."),
    )
)

#: Library messages with blanks, as marshmallow's validators fill them (``str.format`` names).
TEMPLATES = (
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Longer than maximum length {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Must be one of: {choices}."),
    N_("Must be equal to {other}."),
)

_BLANK = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a regular expression whose named groups are its blanks."""
    parts, end = [], 0
    for blank in _BLANK.finditer(template):
        parts += [re.escape(template[end : blank.start()]), f"(?P<{blank[1]}>.*?)"]
        end = blank.end()
    return re.compile("".join(parts) + re.escape(template[end:]), re.DOTALL)


_PATTERNS = tuple((_pattern(t), t) for t in TEMPLATES)


def say_library(text: str) -> str:
    """A marshmallow/webargs message in the request's language; any other text unchanged."""
    if text in FIXED:
        return _(text)
    for pattern, template in _PATTERNS:
        if m := pattern.fullmatch(text):
            return _(template).format(**m.groupdict())
    return text


def say_errors(errors: Any) -> Any:
    """The ``errors`` of an error answer (nested by location, field, index) with each message said."""
    if isinstance(errors, dict):
        return {key: say_errors(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [say_errors(value) for value in errors]
    if isinstance(errors, str):
        return say_library(errors)
    return errors


#: How the OpenAPI document tells scripts about the language of messages.
DESCRIPTION = (
    "Messages for people (`message` and the `errors` of an error answer, `pending_reason` and "
    "`publish_error`) are in Vietnamese unless the request's `Accept-Language` header prefers "
    "English (`Accept-Language: en`); the answer's `Content-Language` says which. Field names, "
    "codes and values are the same in both."
)

ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "the language of messages: `vi` (the default) or `en`",
    "schema": {"type": "string", "enum": ["vi", "en"], "default": "vi"},
}
