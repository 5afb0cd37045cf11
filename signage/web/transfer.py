"""Download and upload the playlist files (the same TOML and .zip as ``signage export``/``import``).

Administrators only. An upload is checked whole before anything is written (size, type,
paths inside a .zip, every table of every file) and then imported in one transaction;
the problems are listed with their file, line and field, in the user's language (the
importer's problems carry their English template, see ``signage.problem``).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug import Response as WResponse
from werkzeug.utils import secure_filename
from wtforms import SubmitField

from signage.backup import BackupError, safe_extract
from signage.bundle import BundleError, read_path
from signage.exporter import EXPORT_FILE, dumps, export_data, export_zip
from signage.problem import N_, Problem
from signage.services.imports import import_bundle
from signage.web.access import role_required
from signage.web.db import get_db
from signage.web.forms import Form
from signage.web.messages import say
from signage.web.publishing import publish_changes

bp = Blueprint("transfer", __name__, url_prefix="/transfer")
#: Largest upload taken (the app refuses bigger requests before this code runs, too).
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
#: Largest .zip once unpacked (a zip bomb stops here, before anything is written to disk).
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
#: Problems listed on the page; the rest are counted.
MAX_SHOWN = 50


class UploadForm(Form):
    file = FileField(
        lazy_gettext("Playlist file (.toml) or export (.zip)"),
        validators=[
            FileRequired(
                lazy_gettext("Choose a .toml file or a .zip export to upload.")
            ),  # says what to pick
            FileAllowed(["toml", "zip"], lazy_gettext("Upload a .toml file or a .zip export.")),
        ],
    )
    submit = SubmitField(lazy_gettext("Import"))


def summary(counts: dict[str, int]) -> str:
    """What an import brought, in the user's language: "3 boards, 12 slogans"."""
    words = {
        "boards": lambda n: ngettext("%(num)d board", "%(num)d boards", n),
        "groups": lambda n: ngettext("%(num)d board group", "%(num)d board groups", n),
        "slogans": lambda n: ngettext("%(num)d slogan", "%(num)d slogans", n),
        "banners": lambda n: ngettext("%(num)d banner", "%(num)d banners", n),
        "playlists": lambda n: ngettext("%(num)d playlist", "%(num)d playlists", n),
        "campaigns": lambda n: ngettext("%(num)d campaign", "%(num)d campaigns", n),
        "schedules": lambda n: ngettext("%(num)d schedule", "%(num)d schedules", n),
    }
    said = [words[table](n) if table in words else f"{n} {table}" for table, n in counts.items() if n]
    return ", ".join(said) or _("nothing")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M")


@bp.route("/export.zip")
@role_required("admin")
def download_zip() -> Response:
    """The whole content with its banner images, as ``signage export`` writes it."""
    return Response(
        export_zip(get_db()),
        mimetype="application/zip",
        headers={"Content-Disposition": f"attachment; filename=signage-{_stamp()}.zip"},
    )


@bp.route("/export.toml")
@role_required("admin")
def download_toml() -> Response:
    """Only the TOML file (banners are referred to, not included): for reading and review."""
    doc, _files = export_data(get_db())
    return Response(
        dumps(doc),
        mimetype="application/toml; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=signage-{_stamp()}.toml"},
    )


def _import_upload(name: str, data: bytes) -> dict[str, int]:
    """Check and import one upload (nothing is written unless all of it can be); raises
    ``BundleError``/``BackupError`` with every problem."""
    with tempfile.TemporaryDirectory(prefix="signage-upload-") as tmp:
        folder = Path(tmp)
        if name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    safe_extract(archive, folder, name, max_total=MAX_UNPACKED_BYTES)
            except zipfile.BadZipFile:
                raise BackupError(Problem(f"{name}:", N_("not a zip archive"))) from None
            inner = [p for p in folder.iterdir() if p.is_dir()]
            if not list(folder.glob("*.toml")) and len(inner) == 1:
                folder = inner[0]  # an export folder zipped as a whole
            bundle = read_path(folder, name=name)
        else:
            path = folder / (secure_filename(name) or EXPORT_FILE)
            path.write_bytes(data)
            bundle = read_path(path, name=name)
        return import_bundle(get_db(), bundle)


@bp.route("/", methods=["GET", "POST"])
@role_required("admin")
def index() -> str | WResponse | tuple[str, int]:
    form = UploadForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        name = Path(upload.filename or "upload.toml").name
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            problems = [_("%(name)s is larger than %(mb)d MB.", name=name, mb=MAX_UPLOAD_BYTES // 2**20)]
        else:
            try:
                counts = _import_upload(name, data)
            except (BundleError, BackupError) as exc:
                problems = [say(p) for p in getattr(exc, "problems", None) or exc.args[:1] or [str(exc)]]
            else:
                flash(_("Imported from %(name)s: %(summary)s.", name=name, summary=summary(counts)), "info")
                publish_changes()
                return redirect(url_for("transfer.index"))
    page = render_template(
        "transfer/index.html",
        form=form,
        problems=problems[:MAX_SHOWN],
        hidden=max(0, len(problems) - MAX_SHOWN),
    )
    return (page, 400) if problems or form.errors else page
