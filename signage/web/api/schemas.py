"""Marshmallow schemas of the API; values are checked by ``signage.rules`` like the forms."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from signage import rules
from signage.web.api.helpers import instant, version_field
from signage.web.concurrency import fingerprint
from signage.web.messages import say


def _clean(data: dict[str, Any], checks: dict[str, Any]) -> dict[str, Any]:
    """Run the shared checks; all problems at once, keyed by field, in the request's language."""
    errors: dict[str, list[str]] = {}
    for key, check in checks.items():
        if key in data:
            try:
                data[key] = check(data[key])
            except rules.InvalidInput as exc:
                errors.setdefault(key, []).append(say(exc))
    if errors:
        raise ValidationError(errors)
    return data


class SloganIn(Schema):
    text = fields.String(required=True, metadata={"description": "NFC Vietnamese, at most 2000 characters"})
    effect = fields.String(load_default="auto")
    speed = fields.Integer(load_default=32, strict=True)
    color = fields.String(load_default="#ff0000")
    source = fields.String(
        load_default="",
        metadata={
            "description": "the document the slogan comes from, e.g. KH 17/KH-BQLKKT (at most 200 characters)"
        },
    )

    @post_load
    def check(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return _clean(
            data,
            {
                "text": rules.slogan_text,
                "effect": rules.effect,
                "speed": rules.speed,
                "color": rules.color,
                "source": rules.slogan_source,
            },
        )


class SloganUpdate(SloganIn):
    version = version_field()


class SloganOut(Schema):
    id = fields.Integer()
    text = fields.String()
    effect = fields.String()
    speed = fields.Integer()
    color = fields.String()
    source = fields.String()
    updated_at = instant()
    version = fields.Function(
        lambda obj: obj["version"] if isinstance(obj, dict) else fingerprint(obj),
        metadata={"description": "send it back with an update (see PUT)"},
    )


class ItemIn(Schema):
    slogan_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=2**31 - 1))
    duration = fields.Float(load_default=10.0)

    @post_load
    def check(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return _clean(data, {"duration": rules.duration})


class ItemOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    slogan_id = fields.Integer(allow_none=True)
    banner_id = fields.Integer(allow_none=True)
    label = fields.String()
    duration = fields.Float()
    enabled = fields.Boolean()


class PlaylistOut(Schema):
    id = fields.Integer()
    name = fields.String()
    total_seconds = fields.Float()
    items = fields.List(fields.Nested(ItemOut))


class BoardOut(Schema):
    slug = fields.String()
    name = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    color = fields.String()
    protocol = fields.String()
    port_url = fields.String()
    baud = fields.Integer()
    pitch_mm = fields.Float(metadata={"description": "pixel pitch in mm (P10 modules: 10)"})
    viewing_m = fields.Float(
        metadata={"description": "distance in m the board is read from; text is sized for it"}
    )
    playlist_id = fields.Integer(allow_none=True)


class ExpectedOut(Schema):
    kind = fields.String(metadata={"description": "notice, schedule, fallback, test or off"})
    source = fields.String()
    label = fields.String(allow_none=True)


class ScheduleChangeOut(Schema):
    at = fields.Float(metadata={"description": "epoch seconds"})
    label = fields.String(allow_none=True)
    kind = fields.String()


class NextItemOut(Schema):
    id = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    name = fields.String(allow_none=True)


class BoardStatusOut(Schema):
    """What a board's worker last reported, and what its published show expects now."""

    ok = fields.Boolean(metadata={"description": "a fresh heartbeat and the link not down"})
    state = fields.String(metadata={"description": "playing, link down, stale or offline"})
    age = fields.Float(allow_none=True, metadata={"description": "seconds since the last heartbeat"})
    heartbeat = fields.Float(allow_none=True, metadata={"description": "epoch seconds"})
    item = fields.String(allow_none=True, metadata={"description": "id of the item playing"})
    text = fields.String(allow_none=True)
    label = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    since = fields.Float(allow_none=True, metadata={"description": "epoch seconds"})
    link = fields.String(allow_none=True, metadata={"description": "up or down"})
    error = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True, metadata={"description": "show version being played"})
    frames = fields.Integer(allow_none=True)
    acked = fields.Integer(allow_none=True)
    errors = fields.Integer(allow_none=True)
    brightness = fields.Integer(allow_none=True)
    readback = fields.String(allow_none=True)
    readback_at = fields.Float(allow_none=True)
    owner = fields.String(allow_none=True, metadata={"description": "host:pid of the worker"})
    show_version = fields.Integer(allow_none=True, metadata={"description": "show version published"})
    expected = fields.Nested(ExpectedOut, allow_none=True)
    change = fields.Nested(ScheduleChangeOut, allow_none=True)
    next = fields.Nested(NextItemOut, allow_none=True)


class Published(Schema):
    published = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "board slug -> show version now on it"},
    )
    publish_error = fields.String(allow_none=True)
    pending_approval = fields.Boolean(
        metadata={
            "description": "true when the change is saved but waits for an approver (see GET /api/changes)"
        }
    )
    pending_reason = fields.String(allow_none=True, metadata={"description": "why it was not published"})


class SloganSaved(SloganOut, Published):
    """A saved slogan and the boards it was published to."""


class PlaylistSaved(PlaylistOut, Published):
    """A changed playlist and the boards it was published to."""


class Query(Schema):
    q = fields.String(load_default="", metadata={"description": "text the slogan contains"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
