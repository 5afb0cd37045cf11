"""SQLAlchemy models: boards, content (slogans, banners), playlists and users.

Plain SQLAlchemy 2 (no Flask) so the importer, the CLI and the tests share them. The
worker never touches these: it plays the compiled show (see ``signage.show``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("viewer", "editor", "approver", "admin")
EFFECTS = ("auto", "static", "scroll-left", "scroll-right", "scroll-up", "blink", "wipe", "typewriter")


def utcnow() -> datetime:
    """Timestamps are stored in UTC; the UI shows them in the board's time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="editor")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    color: Mapped[str] = mapped_column(String(10), default="mono")
    protocol: Mapped[str] = mapped_column(String(20), default="native")
    port_url: Mapped[str] = mapped_column(String(255))
    baud: Mapped[int] = mapped_column(Integer, default=115200)
    address: Mapped[int] = mapped_column(Integer, default=1)
    playlist_id: Mapped[int | None] = mapped_column(ForeignKey("playlists.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    playlist: Mapped[Playlist | None] = relationship(foreign_keys=[playlist_id])


class Slogan(Base):
    __tablename__ = "slogans"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(String(20), default="auto")
    speed: Mapped[int] = mapped_column(Integer, default=32)
    color: Mapped[str] = mapped_column(String(7), default="#ff0000")
    font: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def show_item(self) -> dict:
        """The slogan as the renderer and the show document take it."""
        item = {"kind": "slogan", "text": self.text, "effect": self.effect,
                "speed": self.speed, "color": self.color}
        if self.font:
            item["font"] = self.font
        return item


class Banner(Base):
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


class Playlist(Base):
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

    playlist: Mapped[Playlist] = relationship(back_populates="items")
    slogan: Mapped[Slogan | None] = relationship()
    banner: Mapped[Banner | None] = relationship()

    @property
    def label(self) -> str:
        if self.slogan is not None:
            return self.slogan.text
        return self.banner.name if self.banner is not None else "?"
