"""Line numbers for TOML values, which tomllib does not give: errors must name the line.

``Locator(text)`` scans a document that tomllib has already accepted and records the line
of every table, array element and key, addressed like the parsed data:
``("slogans", 3, "text")`` or ``("playlists", 0, "items", 2, "slogan")``. ``line(path)``
answers with the nearest enclosing entry that was found.
"""

from __future__ import annotations

import re
from typing import Any

Path = tuple[Any, ...]
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]*")


class Locator:
    """Where each table, element and key of a (valid) TOML document starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[Path, int] = {}
        self._arrays: dict[Path, int] = {}
        try:
            self._document()
        except (IndexError, ValueError):  # never let the locator hide the real error
            pass

    def line(self, path: Path) -> int:
        """The line of ``path``, else of its nearest ancestor found (1 if none)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    # --- scanning ---------------------------------------------------------------------------
    def _lineno(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def _peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def _skip(self, newlines: bool = True) -> None:
        """Skip blanks and comments (and newlines when allowed)."""
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c in " \t\r" or (newlines and c == "\n"):
                self.pos += 1
            elif c == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def _document(self) -> None:
        table: Path = ()
        while True:
            self._skip()
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self._peek(2) == "[[":
                self.pos += 2
                keys = self._keys()
                self._skip(False)
                self.pos += 2  # ]]
                table = self._resolve(keys, array=True)
                self.lines[table] = self._lineno(start)
            elif self._peek() == "[":
                self.pos += 1
                keys = self._keys()
                self._skip(False)
                self.pos += 1  # ]
                table = self._resolve(keys, array=False)
                self.lines.setdefault(table, self._lineno(start))
            else:
                self._pair(table)

    def _resolve(self, keys: list[str], array: bool) -> Path:
        path: Path = ()
        for key in keys[:-1]:
            path += (key,)
            if path in self._arrays:
                path += (self._arrays[path] - 1,)
        path += (keys[-1],)
        if array:
            self._arrays[path] = self._arrays.get(path, 0) + 1
            self.lines.setdefault(path, self._lineno())
            path += (self._arrays[path] - 1,)
        return path

    def _keys(self) -> list[str]:
        keys: list[str] = []
        while True:
            self._skip(False)
            c = self._peek()
            if c == '"':
                keys.append(self._basic_string())
            elif c == "'":
                end = self.text.index("'", self.pos + 1)
                keys.append(self.text[self.pos + 1 : end])
                self.pos = end + 1
            else:
                match = _BARE.match(self.text, self.pos)
                if not match:
                    raise ValueError("no key")
                keys.append(match.group())
                self.pos = match.end()
            self._skip(False)
            if self._peek() != ".":
                return keys
            self.pos += 1

    def _pair(self, table: Path) -> None:
        start = self.pos
        path = table + tuple(self._keys())
        self.lines[path] = self._lineno(start)
        self._skip(False)
        self.pos += 1  # =
        self._skip(False)
        self._value(path, record=False)

    def _basic_string(self) -> str:
        """A one-line "..." string (escapes left as written: only keys need the text)."""
        i = self.pos + 1
        out = []
        while self.text[i] != '"':
            if self.text[i] == "\\":
                out.append(self.text[i : i + 2])
                i += 2
            else:
                out.append(self.text[i])
                i += 1
        self.pos = i + 1
        return "".join(out)

    def _value(self, path: Path, record: bool = True) -> None:
        if record:
            self.lines[path] = self._lineno()
        c = self._peek()
        if c in ('"', "'"):
            self._string()
        elif c == "[":
            self._array(path)
        elif c == "{":
            self._inline_table(path)
        else:  # a number, a boolean, a date or time: up to what ends a value
            match = _SCALAR.match(self.text, self.pos)
            self.pos = match.end() if match else self.pos + 1

    def _string(self) -> None:
        """Past a string of any of TOML's four kinds."""
        text = self.text
        if text.startswith('"""', self.pos):
            i = self.pos + 3
            while not text.startswith('"""', i):
                i += 2 if text[i] == "\\" else 1
            while text.startswith('"', i + 3):  # up to two quotes may end the content
                i += 1
            self.pos = i + 3
        elif text.startswith("'''", self.pos):
            i = text.index("'''", self.pos + 3)
            while text.startswith("'", i + 3):
                i += 1
            self.pos = i + 3
        elif self._peek() == '"':
            self._basic_string()
        else:
            self.pos = text.index("'", self.pos + 1) + 1

    def _array(self, path: Path) -> None:
        """Past ``[ ... ]``, recording the line of each element."""
        self.pos += 1
        index = 0
        while True:
            self._skip()
            if self._peek() == "]":
                self.pos += 1
                return
            self._value(path + (index,))
            index += 1
            self._skip()
            if self._peek() == ",":
                self.pos += 1

    def _inline_table(self, path: Path) -> None:
        """Past ``{ ... }``, recording the line of each key."""
        self.pos += 1
        while True:
            self._skip(False)
            if self._peek() == "}":
                self.pos += 1
                return
            self._pair(path)
            self._skip(False)
            if self._peek() == ",":
                self.pos += 1
