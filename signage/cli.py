"""The ``signage`` command: demo, admin server, worker, simulator, render and the data tools.

Each command is a thin shell over a module that does the work, so the same code runs
from the command line, from the launcher and from the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from signage.models import Phase
    from signage.show import Show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="signage")
def main() -> None:
    """Controller for the LED board at the border gate."""
    import getpass

    from signage.audit import actor

    actor.set(f"cli:{getpass.getuser()}")  # what the command changes is audited under its user


# --- commands are added below, one block per area ----------------------------------------


# --- renderer: slogan previews ---------------------------------------------------------------
@main.command("render")
@click.argument("text")
@click.option("--size", default="192x32", show_default=True, help="Board size WIDTHxHEIGHT.")
@click.option(
    "--color",
    "color_model",
    type=click.Choice(["mono", "bicolor", "rgb", "rgb565"]),
    default="mono",
    show_default=True,
    help="Colour model of the board.",
)
@click.option("--font", default=None, help="Font name (default: the best for the rows).")
@click.option(
    "--effect",
    default="auto",
    show_default=True,
    type=click.Choice(
        ["auto", "static", "scroll-left", "scroll-right", "scroll-up", "blink", "wipe", "typewriter", "hold"]
    ),
)
@click.option("--speed", type=float, default=32.0, show_default=True, help="Pixels per second.")
@click.option("--duration", type=float, default=8.0, show_default=True, help="Seconds for static/blink/hold.")
@click.option("--text-color", default="#ff0000", show_default=True, help="Text colour #rrggbb.")
@click.option("--background", default="#000000", show_default=True, help="Background colour #rrggbb.")
@click.option(
    "--scale", type=int, default=1, show_default=True, help="Magnify with round LEDs (1 = exact pixels)."
)
@click.option(
    "--pitch", type=float, default=None, help="Pixel pitch of the board in mm [default: 10, P10 modules]."
)
@click.option(
    "--viewing",
    type=float,
    default=None,
    help="Distance in m the board is read from; text is sized for it [default: 25].",
)
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(dir_okay=False),
    help="FILE.png (first frame, board pixels) or FILE.gif / FILE.apng (whole item).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the layout chosen (font, size in px and cm, lines, effect, warnings) as JSON.",
)
def render_command(
    text: str,
    size: str,
    color_model: str,
    font: str | None,
    effect: str,
    speed: float,
    duration: float,
    text_color: str,
    background: str,
    scale: int,
    pitch: float | None,
    viewing: float | None,
    out: str | None,
    as_json: bool,
) -> None:
    """Render a slogan as the board shows it, and print legibility warnings (or, with --json,
    the whole layout chosen)."""
    from signage.render.command import render_to_file

    render_to_file(
        text,
        size=size,
        color=color_model,
        font=font,
        effect=effect,
        speed=speed,
        duration=duration,
        text_color=text_color,
        background=background,
        scale=scale,
        out=out,
        pitch_mm=pitch,
        viewing_m=viewing,
        as_json=as_json,
    )


# --- board drivers: simulator and push ------------------------------------------------------
def _addresses(value: str) -> list[int]:
    """``--address 1`` or ``1,2,3``: board addresses, each 1..127, none twice."""
    try:
        out = [int(part) for part in value.split(",")]
    except ValueError:
        raise click.BadParameter(f"{value!r}: use board addresses 1..127, e.g. 1 or 1,2,3") from None
    if not out or any(not 1 <= a <= 127 for a in out) or len(set(out)) != len(out):
        raise click.BadParameter(f"{value!r}: use board addresses 1..127, each once, e.g. 1 or 1,2,3")
    return out


@main.command("sim")
@click.option(
    "--protocol", type=click.Choice(["native", "tpm2", "flipdot"]), default="native", show_default=True
)
@click.option("--size", default="192x32", show_default=True, help="Board size WIDTHxHEIGHT in LEDs.")
@click.option(
    "--color", type=click.Choice(["mono", "bicolor", "rgb", "rgb565"]), default="mono", show_default=True
)
@click.option("--listen", default="pty", show_default=True, help="pty, pty:/path/of/link or tcp://HOST:PORT.")
@click.option(
    "--baud",
    default=115200,
    show_default=True,
    type=click.IntRange(0, 10_000_000),
    help="Emulated link speed (bytes consumed at baud/10 per second); 0: unlimited.",
)
@click.option(
    "--address",
    "addresses",
    default="1",
    show_default=True,
    callback=lambda _ctx, _param, value: _addresses(value),
    help="The board's address 1..127; several (1,2,3): boards sharing one RS-485 line (native).",
)
@click.option(
    "--http",
    "http_addr",
    default="127.0.0.1:0",
    show_default=True,
    help="HOST:PORT of the live view (port 0: pick a free one); 'off' for none.",
)
@click.option("--faults", default="", help="Faults to inject, e.g. flip=1e-3,nack=0.05 (docs/protocol.md).")
@click.option("--record", type=click.Path(file_okay=False), default=None, help="Save every frame here.")
@click.option("--term", is_flag=True, help="Draw the board on stderr in half blocks (colour: 24-bit).")
@click.option("--order", default="RGB", show_default=True, help="TPM2 colour order.")
def sim_command(
    protocol: str,
    size: str,
    color: str,
    listen: str,
    baud: int,
    addresses: list[int],
    http_addr: str,
    faults: str,
    record: str | None,
    term: bool,
    order: str,
) -> None:
    """Run the board simulator: a pty or TCP endpoint that behaves like the board."""
    from drivers.faults import FaultSpecError
    from drivers.pixels import BoardSpec, GeometryError
    from drivers.simulator import Simulator, run_forever

    try:
        spec = BoardSpec.parse(size, color)
        sim = Simulator(
            protocol,
            spec,
            listen=listen,
            baud=baud or None,
            address=addresses,
            http=None if http_addr == "off" else http_addr,
            faults=faults,
            record=record,
            term=term,
            order=order,
        )
    except (GeometryError, FaultSpecError, ValueError, OSError) as exc:
        raise click.UsageError(str(exc)) from exc
    run_forever(sim)


@main.command("sim-export")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.gif or FILE.apng.")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1, 32), help="Pixels per LED.")
@click.option(
    "--last-hold",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.01, 3600),
    help="Seconds the last frame stays.",
)
def sim_export_command(folder: str, out: str, scale: int, last_hold: float) -> None:
    """Export a session recorded with `signage sim --record` as GIF or APNG with its true timing."""
    from drivers.record import RecordingError, export_recording, load_recording

    try:
        path = export_recording(folder, out, scale=scale, last_hold=last_hold)
        n = len(load_recording(folder))
    except RecordingError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"wrote {path} ({n} recorded frames)")


@main.command("push")
@click.argument("image", type=click.Path(exists=True, dir_okay=False))
@click.option("--port", "url", required=True, help="Port URL: /dev/ttyUSB0, socket://HOST:PORT, ...")
@click.option(
    "--protocol", type=click.Choice(["native", "tpm2", "flipdot"]), default="native", show_default=True
)
@click.option("--size", default="192x32", show_default=True, help="Board size WIDTHxHEIGHT.")
@click.option(
    "--color", type=click.Choice(["mono", "bicolor", "rgb", "rgb565"]), default="mono", show_default=True
)
@click.option("--baud", default=115200, show_default=True, type=click.IntRange(50, 10_000_000))
@click.option("--address", default=1, show_default=True, type=click.IntRange(0, 127))
@click.option("--timeout", default=10.0, show_default=True, help="Give up after this many seconds.")
def push_command(
    image: str, url: str, protocol: str, size: str, color: str, baud: int, address: int, timeout: float
) -> None:
    """Send one image to a board and exit (fitted to the board size)."""
    from PIL import Image, ImageOps

    from drivers import LinkError, PortError, open_board
    from drivers.pixels import BoardSpec, GeometryError

    try:
        spec = BoardSpec.parse(size, color)
        with Image.open(image) as img:
            frame = ImageOps.pad(img.convert("RGB"), spec.size, color=(0, 0, 0))
        with open_board(url, protocol, spec, baud=baud, address=address, give_up_after=timeout) as board:
            board.show(frame)
            board.flush()  # native: every packet ACKed; write-only: the OS has drained the port
            stats, confirmed = board.stats, board.confirms_delivery
    except (GeometryError, PortError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    except LinkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"sent {image} to {url} ({protocol}, {spec.width}x{spec.height} {spec.color}): "
        f"{stats['bytes']} bytes, {stats['retries']} retries"
        + (
            "; the board acknowledged it"
            if confirmed
            else f"; a {protocol} board never answers, so delivery cannot be confirmed"
        )
    )


# --- Vietnamese text tools ------------------------------------------------------------------
@main.command("convert-text")
@click.option(
    "--from",
    "source",
    type=click.Choice(["auto", "unicode", "tcvn3", "vni", "cp1258"]),
    default="auto",
    show_default=True,
    help="Encoding of TEXT (auto detects it).",
)
@click.option(
    "--upper/--no-upper",
    default=None,
    help="Upper-case the result (TCVN3 .VnTimeH all-caps text); default: decide per word.",
)
@click.argument("text")
def convert_text_command(source: str, upper: bool | None, text: str) -> None:
    """Print TEXT (or standard input for "-") as Unicode NFC, converting TCVN3/VNI legacy text."""
    import os
    import sys

    from signage.text import to_unicode

    data: str | bytes = text
    if text == "-":
        data = sys.stdin.buffer.read()
    elif any("\udc80" <= c <= "\udcff" for c in text):
        data = os.fsencode(text)  # raw legacy bytes on the command line, not valid in the locale
    result = to_unicode(data, source, upper=upper)
    click.echo(result, nl=not result.endswith("\n"))


# --- running the system (demo, admin server, worker) ---------------------------------------


def _logging(verbose: bool = False) -> None:
    import logging

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )


instance_option = click.option(
    "--instance",
    "instance",
    default=None,
    envvar="SIGNAGE_INSTANCE",
    help="Instance folder (database, private Redis, logs). Default ./instance.",
)


def _engine(instance: str | None):  # noqa: ANN202 - a SQLAlchemy engine, imported lazily
    """The instance's database (``DATABASE_URL`` wins); a new one is created, an old one is
    refused with a message until ``signage migrate`` has upgraded it."""
    from signage import config
    from signage.db import SchemaBehind, create_schema, make_engine

    engine = make_engine(config.database_url(config.instance_dir(instance)))
    try:
        create_schema(engine, upgrade=False)
    except SchemaBehind as exc:
        raise click.ClickException(str(exc)) from None
    return engine


@main.command("migrate")
@click.option(
    "--no-backup",
    is_flag=True,
    help="Skip the copy of a SQLite database (PostgreSQL: take a pg_dump yourself first).",
)
@instance_option
def migrate_command(no_backup: bool, instance: str | None) -> None:
    """Upgrade the database to this version's schema, copying a SQLite database first."""
    from signage import config
    from signage.db import copy_sqlite, create_schema, head_revision, make_engine, schema_revision

    inst = config.instance_dir(instance)
    engine = make_engine(config.database_url(inst))
    before, head = schema_revision(engine), head_revision()
    if before == head:
        click.echo(f"the database is already at schema {head}; nothing to do")
        return
    if before is not None and not no_backup:
        if engine.dialect.name != "sqlite":
            raise click.ClickException(
                "back the database up first (pg_dump), then run `signage migrate --no-backup`"
            )
        click.echo(f"copied the database to {copy_sqlite(engine, inst / 'backups', before)}")
    create_schema(engine)
    click.echo(f"the database is at schema {schema_revision(engine)} (was {before or 'empty'})")


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address of the admin and the view.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Admin port.")
@click.option(
    "--sim-port",
    default=5001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port of the simulator's view.",
)
@instance_option
def demo_command(host: str, port: int, sim_port: int, instance: str | None) -> None:
    """Run everything: private Redis, simulator, admin and a worker for the demo board."""
    from signage.demo import run_demo
    from signage.seed import admin_settings

    _logging()
    try:
        admin_settings()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if port == sim_port:
        raise click.BadParameter("--port and --sim-port must differ", param_hint="--sim-port")
    run_demo(host, port, sim_port, instance)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (default: one per CPU core, at least 2).",
)
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads per worker process."
)
@instance_option
def serve_command(host: str, port: int, workers: int | None, threads: int, instance: str | None) -> None:
    """Serve the admin with gunicorn: several worker processes, so every CPU core serves pages."""
    from signage import create_app
    from signage.serve import serve

    _logging()
    _engine(instance).dispose()  # refuses a database that needs `signage migrate`, before forking
    overrides = {"AUTO_MIGRATE": False, **({"INSTANCE": instance} if instance else {})}
    serve(lambda: create_app(overrides), host, port, workers, threads)


@main.command("worker")
@click.option(
    "--board",
    "boards",
    required=True,
    multiple=True,
    help="Slug of the board this worker plays; the boards of one RS-485 line together "
    "(repeat, or join with ':' as in signage-worker@gate-n-1:gate-n-2).",
)
@click.option("--burst", is_flag=True, help="Play what is queued, then exit (tests).")
@instance_option
def worker_command(boards: tuple[str, ...], burst: bool, instance: str | None) -> None:
    """Run the playout worker of one board, or of every board on one line (one process owns the port)."""
    import os

    from signage import config
    from signage.launcher import split_boards
    from signage.player.bus import run_bus_worker
    from signage.playout import run_worker

    _logging()
    slugs = split_boards(boards)
    if not slugs:
        raise click.BadParameter("name at least one board", param_hint="--board")
    inst = config.instance_dir(instance)
    os.environ["SIGNAGE_INSTANCE"] = str(inst)
    if len(slugs) == 1:
        run_worker(slugs[0], config.redis_url(inst), burst=burst)
        return
    raise SystemExit(run_bus_worker(slugs, config.redis_url(inst), burst=burst))


@main.command("lines")
@instance_option
def lines_command(instance: str | None) -> None:
    """List the workers to run: one per port (the boards of an RS-485 line share one), with their unit.

    Says what cannot share a line: two boards with one address, different baud rates, a
    protocol without addresses. Exits 1 when it found such a problem.
    """
    from sqlalchemy import select

    from signage.db import session_scope
    from signage.launcher import worker_groups
    from signage.models import Board

    with session_scope(_engine(instance)) as session:
        boards = {b.slug: b for b in session.scalars(select(Board).order_by(Board.slug))}
        session.expunge_all()
    problems = 0
    for slugs in worker_groups((slug, b.port_url) for slug, b in boards.items()):
        line = [boards[s] for s in slugs]
        click.echo(f"signage-worker@{':'.join(slugs)}   port {line[0].port_url}")
        for b in line:
            click.echo(f"    {b.slug}: address {b.address}, {b.baud} baud, {b.protocol}")
        if len(line) < 2:
            continue
        addresses = [b.address for b in line]
        trouble = []
        if len(set(addresses)) < len(addresses):
            trouble.append("two boards have the same address: give each board of a line its own")
        if len({b.baud for b in line}) > 1:
            trouble.append("the boards differ in baud: every board of a line runs at one speed")
        if any(b.protocol != "native" for b in line):
            trouble.append("only native boards share a line (their packets carry the address)")
        for why in trouble:
            click.echo(f"    problem: {why}", err=True)
        problems += len(trouble)
    if problems:
        raise SystemExit(1)


@main.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["viewer", "editor", "approver", "admin"]),
    default="editor",
    show_default=True,
)
@click.password_option(envvar="SIGNAGE_NEW_PASSWORD")
@instance_option
def create_user_command(username: str, role: str, password: str, instance: str | None) -> None:
    """Create a user (or reset the password and role of an existing one: their sessions end)."""
    from sqlalchemy import select

    from signage.db import session_scope
    from signage.models import User
    from signage.passwords import check_password
    from signage.rules import InvalidInput

    try:
        check_password(password, username)
    except InvalidInput as exc:
        raise click.BadParameter(exc.message, param_hint="password") from None
    with session_scope(_engine(instance)) as session:
        user = session.scalar(select(User).where(User.username == username)) or User(username=username)
        user.role = role
        user.set_password(password)
        session.add(user)
    click.echo(f"user {username} ({role}) saved")


@main.command("create-token")
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
@instance_option
def create_token_command(username: str, name: str, instance: str | None) -> None:
    """Create an API token for a user; it is printed once, only its hash is kept."""
    from sqlalchemy import select

    from signage.db import session_scope
    from signage.models import User
    from signage.web.api.auth import issue_token

    with session_scope(_engine(instance)) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f"no user {username!r}; create it with `signage create-user`")
        token = issue_token(session, user, name)
    click.echo(token)


@main.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--samples", is_flag=True, help="Import the sample campaign and playlists shipped with signage."
)
@instance_option
def import_command(path: Path | None, samples: bool, instance: str | None) -> None:
    """Import playlist files (TOML): a file or a folder, all or nothing."""
    from signage.audit import acting_as
    from signage.db import session_scope
    from signage.importer import BundleError, apply, read_path
    from signage.seed import playlists_dir

    if (path is None) == (not samples):
        raise click.UsageError("give a playlist file or folder to import, or --samples (not both)")
    source = path if path is not None else playlists_dir()
    try:
        bundle = read_path(source)
        with acting_as("cli import"), session_scope(_engine(instance)) as session:
            apply(session, bundle)
    except BundleError as exc:
        raise click.ClickException(f"nothing imported:\n{exc}") from None
    except OSError as exc:
        raise click.ClickException(
            f"nothing imported: cannot read {exc.filename or source}: "
            f"{exc.strerror or exc}; check the path and its permissions"
        ) from None
    click.echo("imported " + ", ".join(f"{n} {name}" for name, n in bundle.counts().items()))


# --- playlist files: export, backup, restore ------------------------------------------------
@main.command("export")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@instance_option
def export_command(dest: Path, instance: str | None) -> None:
    """Write the database as playlist files (DEST/signage.toml, DEST/banners/) for import."""
    from signage.db import session_scope
    from signage.exporter import export_dir

    with session_scope(_engine(instance)) as session:
        written = export_dir(session, dest)
    click.echo(f"wrote {written[0]} and {len(written) - 1} banner images")
    others = sorted(p.name for p in dest.glob("*.toml") if p != written[0])
    if others:
        click.echo(
            f"note: {dest} also holds {', '.join(others)}; `signage import {dest}` reads them all", err=True
        )


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@instance_option
def backup_command(file: Path, instance: str | None) -> None:
    """Write one archive (.zip): the export, banner images, settings and a manifest."""
    from signage.backup import write_backup
    from signage.db import session_scope

    with session_scope(_engine(instance)) as session:
        manifest = write_backup(session, file)
    counts = ", ".join(f"{n} {name}" for name, n in manifest["counts"].items())
    click.echo(f"backup {file}: {counts}")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the content of a non-empty instance.")
@instance_option
def restore_command(file: Path, force: bool, instance: str | None) -> None:
    """Restore an archive from `signage backup` into an empty instance, all or nothing."""
    import os

    from signage.audit import acting_as
    from signage.backup import BackupError, restore
    from signage.config import DEFAULT_TIMEZONE
    from signage.importer import BundleError

    try:
        with acting_as("cli restore"):
            manifest = restore(_engine(instance), file, force=force)
    except (BackupError, BundleError) as exc:
        raise click.ClickException(f"nothing restored:\n{exc}") from None
    counts = ", ".join(f"{n} {name}" for name, n in manifest["restored"].items()) or "nothing"
    if not isinstance(manifest.get("counts"), dict):
        click.echo(
            f"note: {file}'s manifest lists no counts (an older or hand-made archive); "
            "the counts below are those of what was restored",
            err=True,
        )
    click.echo(f"restored {file} (signage {manifest.get('version')}, {manifest.get('created_at')}): {counts}")
    zone = manifest.get("settings", {}).get("timezone")
    if zone and zone != os.environ.get("SIGNAGE_TIMEZONE", DEFAULT_TIMEZONE):
        click.echo(f"note: the backup's time zone is {zone}; set SIGNAGE_TIMEZONE={zone} to keep it")


@main.command("campaign")
@click.option("--board", "slug", default=None, help="Board slug (default: the first board).")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
    default=None,
    help="First day (default: the day before the first phase of any campaign).",
)
@click.option(
    "--end",
    type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
    default=None,
    help="Last day (default: the day after the last phase).",
)
@click.option(
    "--year",
    type=click.IntRange(1900, 2199),
    default=None,
    help="Show this whole year (1 January - 31 December) instead of the campaign's days.",
)
@instance_option
def campaign_command(
    slug: str | None,
    start,
    end,
    year: int | None,  # noqa: ANN001
    instance: str | None,
) -> None:
    """Print the campaigns' phases and what a board plays over them, day by day (simulated time),
    and when each yearly schedule (solar or lunar date) plays in those days."""
    from sqlalchemy import select

    from signage import schedule
    from signage.db import session_scope
    from signage.models import Board, Campaign, Phase
    from signage.publish import compile_show

    with session_scope(_engine(instance)) as session:
        query = select(Board).order_by(Board.slug)
        board = session.scalar(query.where(Board.slug == slug) if slug else query)
        if board is None:
            raise click.ClickException(f"no board {slug!r}" if slug else "no board yet")
        phases = session.scalars(select(Phase).order_by(Phase.starts_on)).all()
        for campaign in session.scalars(select(Campaign).order_by(Campaign.id)):
            click.echo(campaign.name)
            for p in campaign.phases:
                click.echo(f"  {p.starts_on:%d/%m/%Y} - {p.ends_on:%d/%m/%Y}  {p.name}")
        doc, _blobs = compile_show(board, session)
    first, last = _campaign_days(start, end, year, phases)
    _echo_yearly(doc, first, last)
    tz = schedule.zone(doc)
    click.echo(f"board {board.slug} ({tz.key}), {first:%d/%m/%Y} - {last:%d/%m/%Y}:")
    _echo_timeline(doc, first, last)


def _campaign_days(
    start: datetime | None, end: datetime | None, year: int | None, phases: Sequence[Phase]
) -> tuple[date, date]:
    """The first and last day ``signage campaign`` shows: --start/--end, else --year, else from
    the day before the first phase to the day after the last."""
    from datetime import timedelta

    first = start.date() if start else (phases[0].starts_on - timedelta(days=1) if phases else None)
    last = end.date() if end else (max(p.ends_on for p in phases) + timedelta(days=1) if phases else None)
    if year is not None:
        first, last = start.date() if start else date(year, 1, 1), end.date() if end else date(year, 12, 31)
    if first is None or last is None or last < first:
        raise click.ClickException("give --start and --end, or --year (no campaign phases to take them from)")
    return first, last


def _echo_yearly(doc: Show, first: date, last: date) -> None:
    """When each yearly schedule of the show plays between ``first`` and ``last``."""
    from signage import schedule
    from signage.recurrence import span

    rules = [(entry, entry.repeat) for entry in doc.schedules if entry.repeat is not None]
    if rules:
        click.echo(f"yearly schedules, {first:%d/%m/%Y} - {last:%d/%m/%Y}:")
    for entry, rule in rules:
        spans = "; ".join(span(a, b, rule) for a, b in schedule.occurrences(entry, first, last))
        click.echo(f"  #{entry.id} {entry.name}: {rule.describe()}: {spans or 'not in these days'}")


def _echo_timeline(doc: Show, first: date, last: date) -> None:
    """What the board plays from ``first`` to ``last``, a line per run of the same choice."""
    from datetime import timedelta

    from signage import schedule

    tz = schedule.zone(doc)
    begin = datetime(first.year, first.month, first.day, tzinfo=tz)
    runs: list[list] = []  # [start, end, choice]: what plays, whatever else matched and lost
    for seg in schedule.timeline(doc, begin, begin + timedelta(days=(last - first).days + 1)):
        if runs and runs[-1][2].key == seg.choice.key:
            runs[-1][1] = seg.end
        else:
            runs.append([seg.start, seg.end, seg.choice])
    for start_at, end_at, choice in runs:
        a, b = start_at.astimezone(tz), end_at.astimezone(tz) - timedelta(seconds=1)
        click.echo(f"  {a:%d/%m/%Y %H:%M} - {b:%d/%m/%Y %H:%M}  {choice.kind:9} {choice.label}")


# --- playout and schedules: publish, proof of play, watchdog -------------------------------
@main.command("publish")
@instance_option
def publish_command(instance: str | None) -> None:
    """Compile and publish every board's show to Redis: every saved change, drafts included.

    The operator's explicit override of the approval workflow; it is recorded as a publish
    by "cli", so the Changes page then shows nothing pending.
    """
    from redis import Redis

    from signage import config
    from signage.approval import publish_and_record
    from signage.db import session_scope

    inst = config.instance_dir(instance)
    with session_scope(_engine(instance)) as session:
        versions = publish_and_record(session, Redis.from_url(config.redis_url(inst)), "cli")
    click.echo(", ".join(f"{slug} v{v}" for slug, v in versions.items()) or "no boards")


@main.command("collect-proof")
@instance_option
def collect_proof_command(instance: str | None) -> None:
    """Move proof-of-play records from Redis into the database (idempotent; run it from cron)."""
    from redis import Redis

    from signage import config
    from signage.db import session_scope
    from signage.publish import collect_proof

    inst = config.instance_dir(instance)
    with session_scope(_engine(instance)) as session:
        added = collect_proof(session, Redis.from_url(config.redis_url(inst)))
    click.echo(f"{added} proof-of-play records stored")


@main.command("purge-bin")
@instance_option
def purge_bin_command(instance: str | None) -> None:
    """Remove for good what has waited in the bin ("Thùng rác") over 30 days (run it daily: the
    signage-purge-bin timer does); each row removed is printed and logged."""
    from signage.audit import acting_as
    from signage.db import session_scope
    from signage.services.bin import purge

    _logging()
    with acting_as("cli purge-bin"), session_scope(_engine(instance)) as session:
        purged = purge(session)
    for lines in purged.values():
        for line in lines:
            click.echo(f"purged {line}")
    click.echo(f"{sum(len(lines) for lines in purged.values())} rows purged from the bin")


@main.command("watchdog")
@click.option(
    "--board",
    "slugs",
    multiple=True,
    required=True,
    help="Board slug (repeat for several); the boards of one line joined with ':' (gate-n-1:gate-n-2).",
)
@click.option("--stale-after", default=15.0, show_default=True, help="Seconds without a heartbeat.")
@click.option(
    "--restart",
    "restart_cmd",
    show_default=True,
    default="systemctl restart signage-worker@{slug}",
    help="Command run for a stale board ({slug}: the board, or its line's boards as given, a:b).",
)
@click.option("--once", is_flag=True, help="Check once and exit (1 if any board is stale).")
@instance_option
def watchdog_command(
    slugs: tuple[str, ...], stale_after: float, restart_cmd: str, once: bool, instance: str | None
) -> None:
    """Restart the worker of any board whose heartbeat in Redis is stale.

    A stale worker on this machine is stopped first, by its PID from the board's status:
    SIGTERM, then SIGKILL within 2 s (at once when it is stopped), so a frozen worker does
    not keep the board's port from its successor.
    """
    import shlex
    import subprocess
    import time

    from redis import Redis

    from signage import config
    from signage.launcher import PortSquatters, gone_within, split_boards, terminate
    from signage.player.status import heartbeat_stale, lease_pid

    _logging()
    # a line's boards share one worker: a stale one restarts the unit of its line
    unit_of = {slug: value for value in slugs for slug in split_boards((value,))}
    slugs = tuple(unit_of)
    inst = config.instance_dir(instance)
    redis = Redis.from_url(config.redis_url(inst), socket_connect_timeout=2, socket_timeout=2)
    last_restart: dict[str, float] = {}
    squatters = PortSquatters(inst / "locks", stale_after)
    while True:
        for slug in slugs:  # a frozen worker keeps the port from the lease holder
            if (pid := squatters.check(slug, lease_pid(redis, slug))) is not None:
                click.echo(f"board {slug}: worker {pid} held the port without the lease; stopped", err=True)
        stale = [s for s in slugs if heartbeat_stale(redis, s, stale_after)]
        for slug in stale:
            click.echo(f"board {slug}: heartbeat stale", err=True)
            if not once and time.monotonic() - last_restart.get(slug, -1e9) > 2 * stale_after:
                last_restart[slug] = time.monotonic()
                pid = lease_pid(redis, slug)
                if pid is not None and terminate(pid, gone_within(pid), group=False):
                    click.echo(f"board {slug}: worker {pid} did not stop; killed", err=True)
                line = [s for s in stale if unit_of[s] == unit_of[slug]]
                for other in line:  # one restart for the line: its boards' clocks restart together
                    last_restart[other] = last_restart[slug]
                subprocess.run(shlex.split(restart_cmd.format(slug=unit_of[slug])), check=False)
        if once:
            raise SystemExit(1 if stale else 0)
        time.sleep(1)


@main.group("words")
def words_group() -> None:
    """Words and names a line never breaks inside (the shipped list and the staff's words.txt)."""


@words_group.command("add")
@click.argument("entry")
@instance_option
def words_add(entry: str, instance: str | None) -> None:
    """Add ENTRY (e.g. "Đắk Môn") to the instance folder's words.txt; boards use it at once."""
    from signage import config
    from signage.render import RenderError
    from signage.render.words import add_staff_word, staff_words_path, use_instance

    use_instance(config.instance_dir(instance))
    try:
        added = add_staff_word(entry)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {staff_words_path()}: {exc.strerror or exc}") from None
    click.echo(f"{'added' if added else 'already listed'}: {' '.join(entry.split())} ({staff_words_path()})")


@words_group.command("list")
@instance_option
def words_list(instance: str | None) -> None:
    """Print every listed word and name (lower case, as matched)."""
    from signage import config
    from signage.render.words import all_entries, use_instance

    use_instance(config.instance_dir(instance))
    for entry in all_entries():
        click.echo(entry)


if __name__ == "__main__":
    main()
