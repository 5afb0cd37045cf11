"""The record schemas every input path loads through (the API, playlist files); Flask-free.

See ``signage.schemas.records`` for the records and ``signage.schemas.fields`` for how a
value is checked and in whose words it is refused.
"""

from __future__ import annotations

from signage.schemas.records import (
    BannerSchema,
    BoardSchema,
    BrightnessStepSchema,
    CampaignSchema,
    GroupSchema,
    HoursSchema,
    ItemSchema,
    NoticeSchema,
    PhaseSchema,
    PlaylistSchema,
    Record,
    ScheduleSchema,
    SloganSchema,
)

__all__ = [
    "BannerSchema",
    "BoardSchema",
    "BrightnessStepSchema",
    "CampaignSchema",
    "GroupSchema",
    "HoursSchema",
    "ItemSchema",
    "NoticeSchema",
    "PhaseSchema",
    "PlaylistSchema",
    "Record",
    "ScheduleSchema",
    "SloganSchema",
]
