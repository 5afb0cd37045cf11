"""The Vietnamese catalog is complete: what staff read is never English or a code word by accident."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool():  # noqa: ANN202 - the tools/translations.py module
    spec = importlib.util.spec_from_file_location("translations_tool", ROOT / "tools" / "translations.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_vietnamese_with_the_same_placeholders_and_the_mo_is_current() -> None:
    problems = _tool().problems()
    assert not problems, "\n".join(problems)


def test_a_missing_or_fuzzy_translation_or_a_changed_placeholder_is_named(
    tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    tool = _tool()
    po = tmp_path / "messages.po"
    text = tool.PO.read_text()
    text = text.replace('msgstr "dài %(count)d ký tự; tối đa %(limit)d"', 'msgstr "dài %(so)d ký tự"', 1)
    text = text.replace('msgstr "khẩu hiệu đang trống"', 'msgstr ""', 1)
    effect = '\n#, python-format\nmsgid "unknown effect'
    text = text.replace(effect, effect.replace("#, python-format", "#, fuzzy, python-format"), 1)
    po.write_text(text)
    monkeypatch.setattr(tool, "PO", po)
    found = "\n".join(tool.problems())
    assert "no Vietnamese for 'the slogan is empty'" in found
    assert "fuzzy" in found and "unknown effect" in found
    assert "placeholders differ" in found and "%(count)d characters" in found
