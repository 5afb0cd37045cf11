"""Slogans (khẩu hiệu) and banners (băng rôn, pano): write, change, upload, delete to the bin.

The rules are ``signage.rules``'s (a slogan's text, effect, speed, colour and source; an
item's duration) and ``signage.banners``'s (an upload is a real, bounded picture; a fit the
renderer knows); a banner's name is bounded like every other name. A delete moves the row
to the bin (``signage.services.bin``), from which it can come back for 30 days.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from signage import rules
from signage.banners import store_banner
from signage.campaigns import group_name
from signage.message import N_
from signage.models import Banner, Playlist, PlaylistItem, Slogan
from signage.render import RenderError
from signage.render.banner import FITS
from signage.services import bin as trash
from signage.services import versions
from signage.services.errors import InvalidInput, checked


@dataclass(frozen=True)
class SloganData:
    """What a person gives for a slogan."""

    text: str | None
    effect: str | None = "auto"
    speed: int | None = 32
    color: str | None = "#ff0000"
    source: str | None = ""


def append_item(playlist: Playlist, content: Slogan | Banner, duration: float) -> PlaylistItem:
    """Add a slogan or a banner at the end of a playlist (not committed)."""
    position = max((i.position for i in playlist.items), default=-1) + 1
    item = PlaylistItem(position=position, duration=duration)
    if isinstance(content, Banner):
        item.banner = content
    else:
        item.slogan = content
    playlist.items.append(item)
    return item


def check_slogan(
    session: Session, data: SloganData, *, playlist_id: int | None = None, duration: float | None = 10.0
) -> tuple[str, str, int, str, str, Playlist | None, float | None]:
    """Every rule of a slogan (and of the playlist it goes into), nothing written: the cleaned
    (text, effect, speed, colour, source, playlist, duration), or one ``InvalidInput`` naming all
    the problems. A form that could not read some of its fields asks this for the others."""
    text, effect, speed, color, source, playlist, seconds = checked(
        lambda: rules.slogan_text(data.text),
        lambda: rules.effect(data.effect),
        lambda: rules.speed(data.speed),
        lambda: rules.color(data.color),
        lambda: rules.slogan_source(data.source),
        lambda: _playlist(session, playlist_id),
        lambda: rules.duration(duration) if playlist_id else None,
    )
    return text, effect, speed, color, source, playlist, seconds


def save_slogan(
    session: Session,
    data: SloganData,
    slogan: Slogan | None = None,
    *,
    version: str | None = None,
    playlist_id: int | None = None,
    duration: float | None = 10.0,
    commit: bool = True,
) -> Slogan:
    """Create (``slogan`` None) or change a slogan; with ``playlist_id``, also add it at the end
    of that playlist for ``duration`` seconds. ``version`` is what the caller read."""
    if slogan is not None:
        versions.check("slogan", version, versions.fingerprint(slogan))
    text, effect, speed, color, source, playlist, seconds = check_slogan(
        session, data, playlist_id=playlist_id, duration=duration
    )
    slogan = slogan or Slogan()
    slogan.text, slogan.effect, slogan.speed, slogan.color, slogan.source = text, effect, speed, color, source
    session.add(slogan)
    if playlist is not None:
        append_item(playlist, slogan, seconds if seconds is not None else 10.0)
    _done(session, commit)
    return slogan


def _playlist(session: Session, playlist_id: int | None) -> Playlist | None:
    if not playlist_id:
        return None
    playlist = session.get(Playlist, playlist_id)
    if playlist is None:
        raise InvalidInput("playlist", N_("no playlist %(id)s"), id=playlist_id)
    return playlist


def delete_slogan(
    session: Session, slogan: Slogan, *, version: str | None = None, commit: bool = True
) -> None:
    """Move a slogan to the bin; its playlists skip it until it is restored."""
    versions.check("slogan", version, versions.fingerprint(slogan))
    trash.to_bin(session, slogan, commit=commit)


# --- banners ----------------------------------------------------------------------------


#: Banner.name is String(120), like a group's name and bounded by the same rule.
def banner_name(value: str | None) -> str:
    """A banner's name: NFC, spaces collapsed, not empty, at most 120 characters."""
    return group_name(value)


def banner_fit(value: str | None) -> str:
    if value not in FITS:
        raise InvalidInput(
            "fit", N_("fit %(value)r: use one of %(known)s"), value=value, known=", ".join(FITS)
        )
    return value


def banner_version(banner: Banner) -> str:
    """The banner's version from its columns, its image by hash: ``versions.fingerprint`` would
    spell out every byte of the image (about a second per 10 MB) on each listing."""
    state = [banner.id, banner.name, banner.fit, banner.sha256, banner.mime, banner.width, banner.height]
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode()).hexdigest()[:32]


def upload_banner(
    session: Session, name: str | None, data: bytes, fit: str | None = "fit", *, commit: bool = True
) -> tuple[Banner, bool]:
    """The banner for these bytes and whether it is new (or back from the bin); the same picture
    uploaded twice is one banner. Refused (``InvalidInput`` on ``image``, ``fit``) when the bytes
    are not a picture the boards can show."""
    given, fit_ok = checked(
        lambda: banner_name(name) if (name or "").strip() else "", lambda: banner_fit(fit)
    )
    try:
        banner, created = store_banner(session, given, data, fit_ok)
    except RenderError as exc:
        raise InvalidInput("image", exc.template, **exc.params) from None
    _done(session, commit)
    return banner, created


@dataclass(frozen=True)
class BannerChange:
    """A change to a banner's name and/or fit; None leaves it as it is."""

    name: str | None = None
    fit: str | None = None


def update_banner(
    session: Session,
    banner: Banner,
    change: BannerChange,
    *,
    version: str | None = None,
    commit: bool = True,
) -> Banner:
    """Rename a banner or change how it fits the board."""
    versions.check("banner", version, banner_version(banner))
    name, fit = checked(
        lambda: banner_name(change.name) if change.name is not None else banner.name,
        lambda: banner_fit(change.fit) if change.fit is not None else banner.fit,
    )
    banner.name, banner.fit = name, fit
    _done(session, commit)
    return banner


def delete_banner(
    session: Session, banner: Banner, *, version: str | None = None, commit: bool = True
) -> None:
    """Move a banner to the bin; its playlists skip it until it is restored."""
    versions.check("banner", version, banner_version(banner))
    trash.to_bin(session, banner, commit=commit)


def _done(session: Session, commit: bool) -> None:
    if commit:
        session.commit()
    else:
        session.flush()
