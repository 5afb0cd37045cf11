"""Keep the Vietnamese catalog in step with the code; the .po file is the source of truth.

Translators edit ``signage/translations/vi/LC_MESSAGES/messages.po`` (any PO editor, or by
hand). After adding or changing messages in the code or templates:

    python tools/translations.py update    # extract (pybabel extract), merge into the .po
                                           # (pybabel update), compile the .mo
    python tools/translations.py check     # what CI checks: every message has Vietnamese,
                                           # nothing fuzzy, the same placeholders, .mo current

New messages arrive with an empty translation, and ``check`` names them until someone writes
the Vietnamese in the .po and runs ``update`` (or ``compile``) again.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "signage" / "translations"
PO = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = ["-k", "_l", "-k", "N_", "-k", "N_plural:1,2", "-k", "lazy_gettext"]


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", *args], check=True, cwd=ROOT)


def extract(pot: Path) -> Catalog:
    """Every message id the code and templates mark (babel.cfg says where to look)."""
    _pybabel(
        "extract",
        "--no-location",
        "--sort-output",
        "-F",
        str(ROOT / "babel.cfg"),
        *KEYWORDS,
        "--project",
        "signage",
        "--version",
        version("signage"),
        "--copyright-holder",
        "signage authors",
        "-o",
        str(pot),
        str(ROOT / "signage"),
    )
    with pot.open("rb") as fh:
        return read_po(fh)


def load_po() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="vi")


def compile_mo() -> None:
    """The .mo Flask-Babel reads, from the .po as it is (fuzzy entries left out)."""
    catalog = load_po()
    with MO.open("wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        _pybabel(
            "update",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
            "-i",
            str(pot),
            "-d",
            str(TRANSLATIONS),
            "-l",
            "vi",
        )
    compile_mo()


def problems() -> list[str]:
    """What keeps the catalog from being complete: each as a sentence naming the message."""
    found = []
    catalog = load_po()
    with tempfile.TemporaryDirectory() as tmp:
        wanted = {m.id for m in extract(Path(tmp) / "messages.pot") if m.id}
    have = {m.id for m in catalog if m.id}
    for msgid in sorted(wanted - have, key=str):
        found.append(f"not in the .po yet (run tools/translations.py update): {msgid!r}")
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            found.append(f"no Vietnamese for {message.id!r}")
        if message.fuzzy:
            found.append(f"fuzzy (check the Vietnamese, then remove the fuzzy flag): {message.id!r}")
    for message, errors in catalog.check():
        for error in errors:
            found.append(f"placeholders differ in {message.id!r}: {error}")
    with MO.open("rb") as fh:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(fh) if m.id}
    current = {
        _key(m.id): _key(m.string)
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    if compiled != current:
        found.append("messages.mo is older than messages.po: run tools/translations.py update")
    return found


def _key(value: object) -> object:
    """A message id or string as a dict key (plural forms come as lists from a .mo)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_mo()
    elif command != "check":
        print(__doc__, file=sys.stderr)
        return 2
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
