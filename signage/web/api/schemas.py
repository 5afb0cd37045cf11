"""Marshmallow schemas of the API.

What the API takes is each record's schema of ``signage.schemas`` (the one playlist files
load through too), subclassed only to add what the API alone has: a record's ``version``,
ids of other rows, an upload. ``ApiSchema`` says their refusals in the request's language.
"""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate

from signage import rules
from signage.render.banner import FITS
from signage.schemas import records
from signage.schemas.fields import Choice, Tables, Text
from signage.web.api.helpers import instant, version_field
from signage.web.concurrency import fingerprint
from signage.web.messages import say


def said(messages: Any) -> Any:
    """Error messages (nested by field and index) with each translatable one in the request's language."""
    if isinstance(messages, dict):
        return {key: said(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [said(value) for value in messages]
    return say(messages) if getattr(messages, "template", None) else messages


class ApiSchema(Schema):
    """A record's schema as the API takes it: refusals said in the request's language."""

    def handle_error(self, error: ValidationError, data: Any, *, many: bool, **kwargs: Any) -> None:
        raise ValidationError(said(error.messages), data=error.data, valid_data=error.valid_data)


class SloganIn(ApiSchema, records.SloganSchema):
    """A slogan as the API takes it."""


class SloganUpdate(SloganIn):
    version = version_field()


class ItemIn(ApiSchema, records.ItemSchema):
    """A slogan added to a playlist for ``duration`` seconds."""

    slogan_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=2**31 - 1))

    class Meta:
        exclude = ("passes", "enabled")


ROW_ID = validate.Range(min=1, max=rules.MAX_ROW_ID)


def _reference() -> fields.Integer:
    return fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)


class ScheduleIn(ApiSchema, records.ScheduleSchema):
    """A schedule as the API takes it: its playlist, group and phase by id."""

    playlist_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    group_id = _reference()
    phase_id = _reference()


class ScheduleUpdate(ScheduleIn):
    version = version_field()


class CampaignIn(ApiSchema, records.CampaignSchema):
    """A campaign as the API takes it (its phases are added one by one)."""


class CampaignUpdate(CampaignIn):
    version = version_field()


class PhaseIn(ApiSchema, records.PhaseSchema):
    """A phase of a campaign as the API takes it."""


class PhaseUpdate(PhaseIn):
    version = version_field()


class GroupIn(ApiSchema, records.GroupSchema):
    """A board group as the API takes it."""


class GroupUpdate(GroupIn):
    version = version_field()


class BrightnessStepIO(ApiSchema, records.BrightnessStepSchema):
    """A step of a board's brightness table."""


class HoursIO(ApiSchema, records.HoursSchema):
    """A board's time zone, daily on/off hours (both null: always on) and brightness table."""

    brightness = Tables(BrightnessStepIO, load_default=list)


class NoticeIn(ApiSchema, records.NoticeSchema):
    """An urgent notice as the API takes it."""


class BannerUpload(ApiSchema, records.BannerSchema):
    image = Upload(required=True, metadata={"description": "PNG, JPEG, GIF (animated too) or WebP"})


class BannerPatch(ApiSchema, records.BannerSchema):
    name = Text(records.NAME_LIMIT, empty=False, plain=True)
    fit = Choice(FITS)
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
