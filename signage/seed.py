"""First-run content: the administrator account, the demo board and the sample playlist."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import importer
from signage.models import Board, User
from signage.passwords import check_password
from signage.resources import data_dir
from signage.rules import InvalidInput

DEMO_SLUG = "demo"
DEMO_PLAYLIST = "Hằng ngày"


def playlists_dir() -> Path:
    """The sample playlists shipped with the package (the repository's ``playlists/``)."""
    return data_dir("signage.playlists")


def admin_settings() -> tuple[str, str | None]:
    """``SIGNAGE_ADMIN_USER`` and ``SIGNAGE_ADMIN_PASSWORD``; a password that breaks the rule of
    ``signage.passwords`` is refused (``ValueError`` naming the setting and why)."""
    username = os.environ.get("SIGNAGE_ADMIN_USER", "admin")
    given = os.environ.get("SIGNAGE_ADMIN_PASSWORD")
    if given:
        try:
            check_password(given, username)
        except InvalidInput as exc:
            raise ValueError(f"SIGNAGE_ADMIN_PASSWORD: {exc.message}") from None
    return username, given


def ensure_admin(session: Session) -> tuple[str, str | None]:
    """Create the administrator once; returns (username, password if it was just generated).

    ``SIGNAGE_ADMIN_USER`` / ``SIGNAGE_ADMIN_PASSWORD`` win; otherwise a random password is
    generated and returned once for printing. Only its hash is stored.
    """
    username, given = admin_settings()
    user = session.scalar(select(User).where(User.username == username))
    if user is not None:
        if given and not user.check_password(given):
            user.set_password(given)
        return username, None
    password = given or secrets.token_urlsafe(12)
    user = User(username=username, role="admin")
    user.set_password(password)
    session.add(user)
    return username, (None if given else password)


def ensure_demo_board(session: Session, port_url: str) -> Board:
    """The 192x32 one-colour demo board, playing the sample playlist, on ``port_url``."""
    board = session.scalar(select(Board).where(Board.slug == DEMO_SLUG))
    if board is None:
        playlists = importer.apply(session, importer.read_path(playlists_dir()))
        board = Board(
            slug=DEMO_SLUG,
            name="Bảng demo (cửa khẩu)",
            width=192,
            height=32,
            color="mono",
            protocol="native",
            port_url=port_url,
            baud=115200,
            playlist=playlists.get(DEMO_PLAYLIST),
        )
        session.add(board)
    board.port_url = port_url  # the demo's simulator gets a fresh port each start
    session.flush()
    return board
