"""Marshmallow schemas of the API; values are checked by ``signage.rules`` like the forms."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from signage import rules
from signage.web.api.helpers import version_field
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
    source = fields.String(load_default="", metadata={
        "description": "the document the slogan comes from, e.g. KH 17/KH-BQLKKT (at most 200 characters)"})

    @post_load
    def check(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return _clean(data, {"text": rules.slogan_text, "effect": rules.effect, "speed": rules.speed,
                             "color": rules.color, "source": rules.slogan_source})


class SloganUpdate(SloganIn):
    version = version_field()


class SloganOut(Schema):
    id = fields.Integer()
    text = fields.String()
    effect = fields.String()
    speed = fields.Integer()
    color = fields.String()
    source = fields.String()
    updated_at = fields.DateTime()
    version = fields.Function(lambda obj: obj["version"] if isinstance(obj, dict) else fingerprint(obj),
                              metadata={"description": "send it back with an update (see PUT)"})


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
    playlist_id = fields.Integer(allow_none=True)


class Published(Schema):
    published = fields.Dict(keys=fields.String(), values=fields.Integer(),
                            metadata={"description": "board slug -> show version now on it"})
    publish_error = fields.String(allow_none=True)
    pending_approval = fields.Boolean(metadata={
        "description": "true when the change is saved but waits for an approver (see GET /api/changes)"})
    pending_reason = fields.String(allow_none=True, metadata={"description": "why it was not published"})


class SloganSaved(SloganOut, Published):
    """A saved slogan and the boards it was published to."""


class PlaylistSaved(PlaylistOut, Published):
    """A changed playlist and the boards it was published to."""


class Query(Schema):
    q = fields.String(load_default="", metadata={"description": "text the slogan contains"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
