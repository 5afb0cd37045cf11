"""SQLAlchemy models: boards, content (slogans, banners), playlists and users.

Plain SQLAlchemy 2 (no Flask) so the importer, the CLI and the tests share them. The
worker never touches these: it plays the compiled show (see ``signage.show``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
    inspect,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    InstanceState,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    relationship,
    with_loader_criteria,
)
from sqlalchemy.orm.base import NO_VALUE
from werkzeug.security import check_password_hash, generate_password_hash

from drivers.pixels import DEFAULT_PITCH_MM, DEFAULT_VIEWING_M
from signage.recurrence import Rule

ROLES = ("viewer", "editor", "approver", "admin")
EFFECTS = (
    "auto",
    "static",
    "scroll-left",
    "scroll-right",
    "scroll-up",
    "blink",
    "wipe",
    "typewriter",
    "hold",
)


def utcnow() -> datetime:
    """Timestamps are stored in UTC; the UI shows them in the board's time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    #: Every model here maps one ``Table`` (SQLAlchemy types it as any ``FromClause``), so
    #: Core statements such as ``Model.__table__.insert()`` type-check.
    __table__: ClassVar[Table]


#: How long deleted content waits in the bin ("Thùng rác") before it may be removed for good.
BIN_DAYS = 30


class SoftDeleted:
    """A row that a delete moves to the bin rather than removing, so it can be brought back.

    A session hook (``_hide_deleted`` below) hides rows with ``deleted_at`` set from every
    query and from the relationships that load them, unless the statement asks for them with
    the execution option ``include_deleted=True``; the bin page and a restore do.
    """

    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_by: Mapped[str | None] = mapped_column(String(80), default=None)


class Versioned:
    """A record an edit form or an API client changes: it carries a counter of its saved versions.

    SQLAlchemy's ``version_id_col``: every UPDATE (and DELETE) of the row says
    ``WHERE row_version = <the version this session loaded>`` and sets the next one, so of two
    saves made from the same version exactly one finds the row and the other raises
    ``StaleDataError`` (``signage.services.errors`` words it as ``Stale``). The check is the
    database's, at the UPDATE itself: nothing can slip between a comparison and the write.
    A change of a record's parts (a playlist's items, a campaign's phases, a group's or a
    notice's boards, a board's hours and brightness) counts as a change of the record: the
    ``_bump_parents`` hook below raises its counter too. That check is against the version of
    the record as this session loaded it, so a service holds the record while it changes its
    parts (one it never loaded is read at the flush, and only the UPDATE's race is caught).
    """

    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declarative's class-level hook
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="editor")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    def set_password(self, password: str) -> None:
        """Store only a salted hash (scrypt, werkzeug's default)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: str) -> bool:
        """Roles are ordered: each one may do everything the ones below it may."""
        return ROLES.index(self.role) >= ROLES.index(role)

    # Flask-Login's user protocol, written out so models stay free of Flask.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class Board(Versioned, Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    color: Mapped[str] = mapped_column(String(10), default="mono")
    #: The colour a one-colour board's LEDs light in (its modules: red, amber, green, white...);
    #: previews and the mirror show it, since the board itself cannot be told another.
    led_color: Mapped[str] = mapped_column(String(7), default="#ff2810")
    protocol: Mapped[str] = mapped_column(String(20), default="native")
    port_url: Mapped[str] = mapped_column(String(255))
    baud: Mapped[int] = mapped_column(Integer, default=115200)
    address: Mapped[int] = mapped_column(Integer, default=1)
    # How tall a pixel is and from how far the board is read: the renderer sizes text for them
    pitch_mm: Mapped[float] = mapped_column(
        Float, default=DEFAULT_PITCH_MM, server_default=str(DEFAULT_PITCH_MM)
    )
    viewing_m: Mapped[float] = mapped_column(
        Float, default=DEFAULT_VIEWING_M, server_default=str(DEFAULT_VIEWING_M)
    )
    playlist_id: Mapped[int | None] = mapped_column(ForeignKey("playlists.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    playlist: Mapped[Playlist | None] = relationship(foreign_keys=[playlist_id])

    #: What a board's show and its export say of the board itself: size, link and reach.
    SETTINGS: ClassVar[tuple[str, ...]] = (
        "slug", "name", "width", "height", "color", "protocol", "port_url", "baud", "address",
        "pitch_mm", "viewing_m",
    )  # fmt: skip

    def settings(self) -> dict[str, Any]:
        """The board's ``SETTINGS`` by name, in that order."""
        return {key: getattr(self, key) for key in self.SETTINGS}


class Slogan(SoftDeleted, Versioned, Base):
    __tablename__ = "slogans"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(String(20), default="auto")
    speed: Mapped[int] = mapped_column(Integer, default=32)
    color: Mapped[str] = mapped_column(String(7), default="#ff0000")
    font: Mapped[str | None] = mapped_column(String(60))
    #: The document the slogan comes from, e.g. "KH 17/KH-BQLKKT" (empty: not given); never shown
    #: on the board, so staff can tell which plan asked for a slogan.
    source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def show_item(self) -> dict:
        """The slogan as the renderer and the show document take it."""
        item = {
            "kind": "slogan",
            "text": self.text,
            "effect": self.effect,
            "speed": self.speed,
            "color": self.color,
        }
        if self.font:
            item["font"] = self.font
        return item


class Banner(SoftDeleted, Versioned, Base):
    __tablename__ = "banners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    fit: Mapped[str] = mapped_column(String(10), default="fit")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def show_item(self) -> dict:
        """A banner refers to its image by content hash; the show carries the bytes once."""
        return {"kind": "banner", "image": self.sha256, "fit": self.fit, "name": self.name}


class Playlist(SoftDeleted, Versioned, Base):
    __tablename__ = "playlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[PlaylistItem]] = relationship(
        back_populates="playlist", order_by="PlaylistItem.position", cascade="all, delete-orphan"
    )

    @property
    def total_seconds(self) -> float:
        return sum(i.duration for i in self.items if i.enabled)


class PlaylistItem(Base):
    __tablename__ = "playlist_items"
    __table_args__ = (UniqueConstraint("playlist_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    playlist_id: Mapped[int] = mapped_column(ForeignKey("playlists.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    slogan_id: Mapped[int | None] = mapped_column(ForeignKey("slogans.id", ondelete="CASCADE"))
    banner_id: Mapped[int | None] = mapped_column(ForeignKey("banners.id", ondelete="CASCADE"))
    duration: Mapped[float] = mapped_column(default=10.0)
    enabled: Mapped[bool] = mapped_column(default=True)
    #: Play for this many complete passes of the scroll (or blinks) instead of ``duration``;
    #: None: for ``duration``. Still text has no passes and keeps its duration.
    passes: Mapped[int | None] = mapped_column(Integer)

    playlist: Mapped[Playlist] = relationship(back_populates="items")
    slogan: Mapped[Slogan | None] = relationship()
    banner: Mapped[Banner | None] = relationship()

    @property
    def content(self) -> Slogan | Banner | None:
        """The slogan or banner this entry plays; None when it is in the bin.

        Checked here rather than left to the query hook: an object already in the session
        is refreshed by primary key, which the hook does not filter."""
        for content in (self.slogan, self.banner):
            if content is not None and content.deleted_at is None:
                return content
        return None

    @property
    def label(self) -> str:
        content = self.content
        if isinstance(content, Slogan):
            return content.text
        return content.name if content is not None else "?"


# --- Schedules, campaigns, urgent notices, proof of play (issue #5) -------------------
#
# New tables (``create_all`` adds them to an existing database); a change to an existing
# table needs a migration in ``signage/migrations``. Dates and times of day are local to the board's time zone
# (``BoardSettings.timezone``, default Asia/Ho_Chi_Minh); instants (``*_at``) are UTC.
# ``Board.playlist_id`` is the board's fallback playlist: it plays when no schedule
# matches. Weekdays are ISO digits as a string: "1234567" is every day, "12345" Mon-Fri.

ALL_WEEKDAYS = "1234567"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

board_group_members = Table(
    "board_group_members",
    Base.metadata,
    Column("group_id", ForeignKey("board_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("board_id", ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
)

urgent_notice_boards = Table(
    "urgent_notice_boards",
    Base.metadata,
    Column("notice_id", ForeignKey("urgent_notices.id", ondelete="CASCADE"), primary_key=True),
    Column("board_id", ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
)


class BoardGroup(SoftDeleted, Versioned, Base):
    """A named set of boards (e.g. all boards at one gate) that a schedule can target."""

    __tablename__ = "board_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")

    boards: Mapped[list[Board]] = relationship(secondary=board_group_members, order_by="Board.slug")


class Campaign(Versioned, Base):
    """A propaganda campaign (đợt tuyên truyền), e.g. Plan 17/KH-BQLKKT, made of phases."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    phases: Mapped[list[Phase]] = relationship(
        back_populates="campaign", order_by="Phase.position", cascade="all, delete-orphan"
    )


class Phase(Versioned, Base):
    """One phase (giai đoạn) of a campaign: an inclusive local date range, ordered by position."""

    __tablename__ = "phases"
    __table_args__ = (UniqueConstraint("campaign_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    campaign: Mapped[Campaign] = relationship(back_populates="phases")


class Schedule(SoftDeleted, Versioned, Base):
    """A playlist on a board, a group or all boards, inside dates, weekdays and a daily window.

    Target: ``board_id`` set -> that board; else ``group_id`` set -> the group's boards;
    else all boards. The date range is the intersection of ``starts_on``/``ends_on`` and
    the phase's dates (each bound optional, inclusive). The daily window runs from
    ``start_time`` to ``end_time`` (both None: all day); ``end_time <= start_time`` means it
    runs overnight (22:00-06:00 belongs to the day it starts on). Higher ``priority`` wins;
    ties go to the most specific target (board > group > all), then the highest id.

    ``repeat`` is ``daily`` (every day of the range whose weekday is in ``weekdays``),
    ``yearly`` (from ``repeat_day``/``repeat_month`` of the solar calendar each year) or
    ``lunar`` (the same in the lunar calendar; ``repeat_leap``: in the leap month when the year
    has one), for ``repeat_days`` days; see ``signage.recurrence``.
    """

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    playlist_id: Mapped[int] = mapped_column(ForeignKey("playlists.id", ondelete="CASCADE"))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("board_groups.id", ondelete="CASCADE"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phases.id", ondelete="SET NULL"))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    weekdays: Mapped[str] = mapped_column(String(7), default=ALL_WEEKDAYS)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(default=True)
    repeat: Mapped[str] = mapped_column(String(10), default="daily", server_default="daily")
    repeat_month: Mapped[int | None] = mapped_column(Integer)
    repeat_day: Mapped[int | None] = mapped_column(Integer)
    repeat_leap: Mapped[bool] = mapped_column(default=False, server_default=false())
    repeat_days: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    playlist: Mapped[Playlist] = relationship()
    board: Mapped[Board | None] = relationship()
    group: Mapped[BoardGroup | None] = relationship()
    phase: Mapped[Phase | None] = relationship()

    @property
    def rule(self) -> Rule | None:
        """When a yearly schedule comes back (None: daily)."""
        if self.repeat not in ("yearly", "lunar") or self.repeat_month is None or self.repeat_day is None:
            return None
        return Rule(
            self.repeat, self.repeat_month, self.repeat_day, bool(self.repeat_leap), self.repeat_days or 1
        )

    @rule.setter
    def rule(self, rule: Rule | None) -> None:
        """Store a checked rule (``signage.holidays.check``); None makes the schedule daily."""
        self.repeat = rule.kind if rule else "daily"
        self.repeat_month, self.repeat_day = (rule.month, rule.day) if rule else (None, None)
        self.repeat_leap, self.repeat_days = (rule.leap, rule.days) if rule else (False, 1)


class BoardSettings(Base):
    """A board's time zone and daily on/off hours (both None: always on; off < on: overnight on)."""

    __tablename__ = "board_settings"

    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    on_time: Mapped[time | None] = mapped_column(Time)
    off_time: Mapped[time | None] = mapped_column(Time)

    board: Mapped[Board] = relationship()


class BrightnessStep(Base):
    """From local time ``at`` each day, the board runs at ``level`` percent (0-100) until the next step."""

    __tablename__ = "brightness_steps"
    __table_args__ = (UniqueConstraint("board_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    at: Mapped[time] = mapped_column(Time)
    level: Mapped[int] = mapped_column(Integer, default=100)

    board: Mapped[Board] = relationship()


class UrgentNotice(Versioned, Base):
    """A notice (thông báo khẩn) that pre-empts every schedule on its boards until it expires.

    Text (``text``) or an image (``banner_id``). ``all_boards`` or the listed ``boards``.
    ``starts_at``/``expires_at`` are UTC; ``cancelled_at`` ends it early.
    """

    __tablename__ = "urgent_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str | None] = mapped_column(Text)
    banner_id: Mapped[int | None] = mapped_column(ForeignKey("banners.id", ondelete="SET NULL"))
    effect: Mapped[str] = mapped_column(String(20), default="blink")
    color: Mapped[str] = mapped_column(String(7), default="#ff0000")
    all_boards: Mapped[bool] = mapped_column(default=False)
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    banner: Mapped[Banner | None] = relationship()
    boards: Mapped[list[Board]] = relationship(secondary=urgent_notice_boards, order_by="Board.slug")
    created_by: Mapped[User | None] = relationship()


class ProofOfPlay(Base):
    """One record per item played, collected from Redis; ``record_id`` makes collection idempotent."""

    __tablename__ = "proof_of_play"
    #: The page's order (newest first, ties by id), for all boards and for one (0008_proof_index).
    __table_args__ = (
        Index("ix_proof_of_play_start_id", "actual_start", "id"),
        Index("ix_proof_of_play_board_start_id", "board_slug", "actual_start", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="SET NULL"))
    board_slug: Mapped[str] = mapped_column(String(40), index=True)
    item_id: Mapped[str] = mapped_column(String(80))
    #: What the board showed, in words: the slogan's text, the banner's name, the notice's text.
    item_label: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(80), default="")
    #: The name of what chose the item: the schedule's or the playlist's (empty for a notice).
    source_label: Mapped[str] = mapped_column(Text, default="")
    show_version: Mapped[int] = mapped_column(Integer, default=0)
    planned_start: Mapped[datetime | None]
    planned_end: Mapped[datetime | None]
    actual_start: Mapped[datetime] = mapped_column(index=True)
    actual_end: Mapped[datetime | None]
    frames_sent: Mapped[int] = mapped_column(Integer, default=0)
    frames_acked: Mapped[int] = mapped_column(Integer, default=0)
    interrupted: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(200), default="")


class AuditEntry(Base):
    """Who changed what, when, with the values before and after (written by ``signage.audit``)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(10))  # create | update | delete
    table: Mapped[str] = mapped_column(String(60), index=True)
    row_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the changed columns
    after: Mapped[str | None] = mapped_column(Text)


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored (tokens are random, 256-bit)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class UserSession(Base):
    """One signed-in browser: the session cookie carries a random id, only its SHA-256 is here.

    Deleting the row ends that session at its next request in every admin process (logout,
    "sign out everywhere", an admin's change of the user). ``stamp`` is a digest of the user's
    password hash and role when the session began, so a password or role changed by any path
    (the Users page, ``signage create-user``, a restore) ends it too.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    stamp: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    address: Mapped[str] = mapped_column(String(64), default="")


@event.listens_for(Session, "do_orm_execute")
def _hide_deleted(state: ORMExecuteState) -> None:
    """Rows in the bin are not there for any query, lazy load or ``session.get`` (see SoftDeleted)."""
    if state.is_select and not state.is_column_load and not state.execution_options.get("include_deleted"):
        state.statement = state.statement.options(
            with_loader_criteria(SoftDeleted, lambda cls: cls.deleted_at.is_(None), include_aliases=True)
        )


#: The parts of a record, each with the attribute naming its whole (see ``Versioned``).
_PARTS: dict[type[Base], tuple[str, str, type[Base]]] = {
    PlaylistItem: ("playlist", "playlist_id", Playlist),
    Phase: ("campaign", "campaign_id", Campaign),
    BoardSettings: ("board", "board_id", Board),
    BrightnessStep: ("board", "board_id", Board),
}


def _whole(session: Session, part: Base) -> Base | None:
    """The record ``part`` belongs to, loading it if need be (None: it is gone or not yet saved)."""
    attr, key, cls = _PARTS[type(part)]
    state: InstanceState[Base] = inspect(part)
    whole = state.dict.get(attr)
    if whole is None and state.dict.get(key) is not None:
        whole = session.get(cls, state.dict[key])
    if whole is None and state.committed_state.get(key) not in (None, NO_VALUE):
        whole = session.get(cls, state.committed_state[key])
    return whole


@event.listens_for(Session, "before_flush")
def _bump_parents(session: Session, _context: Any, _instances: Any) -> None:
    """Raise the version of every record whose parts or memberships change in this flush.

    SQLAlchemy raises the counter of a row whose own columns change; a record whose only change
    is a part (an item added to a playlist, a phase moved, a board added to a group) would keep
    its version, so a form opened before the change could still be saved over it. Setting the
    counter here makes the record's UPDATE carry ``WHERE row_version = <loaded>`` like any other.
    """
    wholes: list[Any] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if type(obj) in _PARTS and (obj in session.new or obj in session.deleted or session.is_modified(obj)):
            whole = _whole(session, obj)
            if whole is not None:
                wholes.append(whole)
    for obj in session.dirty:
        if isinstance(obj, Versioned) and session.is_modified(obj, include_collections=True):
            wholes.append(obj)
    read: list[tuple[type[Any], tuple[Any, ...], int]] = []
    for obj in dict.fromkeys([*wholes, *session.dirty, *session.deleted]):  # each once, in order
        state: InstanceState[Base] = inspect(obj)
        if not isinstance(obj, Versioned) or state.identity is None:
            continue
        loaded = state.committed_state.get("row_version", obj.row_version)
        read.append((type(obj), state.identity, loaded))
        if obj in wholes and obj not in session.deleted and "row_version" not in state.committed_state:
            obj.row_version = (obj.row_version or 0) + 1
    session.info[_READ] = read


_READ = "signage.read_versions"


def loaded_versions(session: Session) -> list[tuple[type[Any], tuple[Any, ...], int]]:
    """The versioned records the session's last flush updated or deleted: (class, key, version read)."""
    return list(session.info.get(_READ, []))
