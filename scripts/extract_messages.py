#!/usr/bin/env python3
"""Extract translatable strings into diogelu/locale/cy/LC_MESSAGES/django.po.

    python scripts/extract_messages.py   # run by `make messages`, then compilemessages

Why not ``manage.py makemessages``? It reads non-Python files with Django's own
template lexer, which silently misses Jinja's newstyle gettext calls with keyword
arguments (``_("Signed in as %(name)s", name=...)``), ``ngettext`` and strings
inside component dictionaries. This script instead uses

* Jinja's own extractor (``jinja2.ext.babel_extract``, newstyle gettext, syntax
  errors are fatal) for ``*.jinja`` files, and
* the Python ``ast`` module for ``*.py`` files, recognising the same functions as
  makemessages (``_``, ``gettext``, ``gettext_lazy``, ``gettext_noop``,
  ``ngettext``/``ngettext_lazy``, ``pgettext``/``pgettext_lazy``,
  ``npgettext``/``npgettext_lazy``) when called with string literals.

It needs no GNU gettext, runs in well under a second and is deterministic, so
``scripts/check_messages.py`` re-runs it in memory to check that the catalogue
is complete.

The existing catalogue is merged, not overwritten: the header, translations,
flags and translator comments of msgids that are still used are kept; new
msgids get an empty msgstr; msgids no longer in the source are dropped. There is
no fuzzy matching (unlike msgmerge): a changed English string needs a fresh
translation, which is what a reviewed Welsh translation should get anyway.
Compile afterwards with ``manage.py compilemessages -l cy`` (GNU msgfmt).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2.ext import babel_extract

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "diogelu"
PO_PATH = SOURCE / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Top-level packages under diogelu/ that are not (yet) translated: the matching engine
# has no user-facing text of its own and procedures is still being written. Remove a
# name here when its pages are ready for Welsh.
EXCLUDED = ("matching", "procedures", "static", "locale")

# Welsh plural rule: the same as Django's own cy catalogue, so that both agree.
PLURAL_FORMS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"

DEFAULT_HEADER = (
    "Project-Id-Version: Diogelu\n"
    "Report-Msgid-Bugs-To: \n"
    "Last-Translator: machine-assisted draft, awaiting practitioner review\n"
    "Language-Team: Welsh <cy@li.org>\n"
    "Language: cy\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    f"Plural-Forms: {PLURAL_FORMS}\n"
)

NOTE = [
    "Welsh translation of Diogelu.",
    "",
    "MACHINE-ASSISTED TRANSLATION, AWAITING REVIEW: these translations were drafted",
    "with machine assistance and have not yet been reviewed by a Welsh-speaking",
    "social care practitioner. Do not treat them as approved Welsh for the Welsh",
    "Language Standards until that review is recorded here (see docs/welsh-language.md).",
]

# name -> (index of msgctxt or None, index of msgid, index of msgid_plural or None)
PY_KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
JINJA_KEYWORDS = ("_", "gettext", "ngettext", "pgettext", "npgettext")
COMMENT_TAG = "Translators:"

Key = tuple[str | None, str]  # (msgctxt, msgid)


@dataclass
class Entry:
    """One message of a catalogue."""

    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    locations: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)


class ExtractionError(Exception):
    """A gettext call that cannot be extracted (for example a non-literal argument)."""


# --- Extraction ------------------------------------------------------------------------------


def source_files() -> list[Path]:
    """Every .py and .jinja file under diogelu/, outside EXCLUDED, in a stable order."""
    files = []
    for path in SOURCE.rglob("*"):
        rel = path.relative_to(SOURCE)
        if rel.parts[0] in EXCLUDED or "migrations" in rel.parts or "tests" in rel.parts:
            continue
        if path.suffix in {".py", ".jinja"} and path.is_file():
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(SOURCE).as_posix())


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _translator_comment(lines: list[str], lineno: int) -> list[str]:
    """A ``# Translators:`` comment on the line of the call or on the lines just above it."""
    found: list[str] = []
    idx = lineno - 1
    same_line = lines[idx] if idx < len(lines) else ""
    if "#" in same_line and COMMENT_TAG in same_line.split("#", 1)[1]:
        return [same_line.split("#", 1)[1].strip()]
    idx -= 1
    while idx >= 0 and lines[idx].strip().startswith("#"):
        found.insert(0, lines[idx].strip().lstrip("#").strip())
        idx -= 1
    for i, text in enumerate(found):
        if text.startswith(COMMENT_TAG):
            return found[i:]
    return []


def extract_python(path: Path, warnings: list[str] | None = None) -> Iterator[Entry]:
    """Messages passed as string literals to gettext functions in one Python file.

    A call with a non-literal argument (``_(variable)``) cannot be extracted; it is
    reported in ``warnings``, not treated as an error, because it may translate a string
    marked elsewhere (with ``gettext_noop``).
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    rel = path.relative_to(SOURCE).as_posix()
    calls = [n for n in ast.walk(ast.parse(text, filename=str(path))) if isinstance(n, ast.Call)]
    for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else None
        )
        if name not in PY_KEYWORDS:
            continue
        ctx_i, id_i, plural_i = PY_KEYWORDS[name]
        needed = max(i for i in (ctx_i, id_i, plural_i) if i is not None) + 1
        if len(node.args) < needed:
            continue
        msgid = _literal(node.args[id_i])
        if msgid is None:
            if warnings is not None:
                warnings.append(
                    f"{rel}:{node.lineno}: {name}() of a non-literal; mark the strings it "
                    "may receive where they are written, or they stay in English"
                )
            continue
        ctx = _literal(node.args[ctx_i]) if ctx_i is not None else None
        plural = _literal(node.args[plural_i]) if plural_i is not None else None
        yield Entry(
            msgid=msgid,
            msgctxt=ctx,
            msgid_plural=plural,
            locations=[f"{rel}:{node.lineno}"],
            auto_comments=_translator_comment(lines, node.lineno),
        )


def extract_jinja(path: Path) -> Iterator[Entry]:
    """Messages in one Jinja template, as Jinja's i18n extension sees them."""
    rel = path.relative_to(SOURCE).as_posix()
    options = {"newstyle_gettext": "true", "silent": "false"}
    with path.open("rb") as fileobj:
        found = list(babel_extract(fileobj, JINJA_KEYWORDS, [COMMENT_TAG], options))
    for lineno, func, message, comments in found:
        strings = (message,) if isinstance(message, str) or message is None else message
        if func in {"pgettext", "npgettext"}:
            ctx, strings = strings[0], strings[1:]
        else:
            ctx = None
        if not strings or strings[0] is None:
            raise ExtractionError(f"{rel}:{lineno}: {func}() needs a string literal")
        yield Entry(
            msgid=strings[0],
            msgctxt=ctx,
            msgid_plural=strings[1] if len(strings) > 1 else None,
            locations=[f"{rel}:{lineno}"],
            auto_comments=list(comments),
        )


def extract(
    files: Iterable[Path] | None = None, warnings: list[str] | None = None
) -> dict[Key, Entry]:
    """All messages in the source, in order of first appearance (files sorted by path)."""
    catalogue: dict[Key, Entry] = {}
    for path in source_files() if files is None else files:
        entries = extract_python(path, warnings) if path.suffix == ".py" else extract_jinja(path)
        for entry in entries:
            known = catalogue.get(entry.key)
            if known is None:
                catalogue[entry.key] = entry
                continue
            if entry.msgid_plural and known.msgid_plural != entry.msgid_plural:
                if known.msgid_plural:
                    raise ExtractionError(
                        f"{entry.locations[0]}: {entry.msgid!r} has two different plurals"
                    )
                known.msgid_plural = entry.msgid_plural
            known.locations.extend(entry.locations)
            known.auto_comments.extend(
                c for c in entry.auto_comments if c not in known.auto_comments
            )
    for entry in catalogue.values():
        if entry.msgid_plural:
            entry.msgstr = ["", "", "", ""]
        if re.search(r"%(\([^)]*\))?[#0 +-]*\d*(\.\d+)?[sdifrxXoeEgGc%]", entry.msgid):
            entry.flags = ["python-format"]
    return catalogue


# --- .po reading and writing -----------------------------------------------------------------


def _unquote(line: str) -> str:
    value = ast.literal_eval(line)
    if not isinstance(value, str):
        raise ValueError(f"not a string: {line}")
    return value


def parse_po(text: str) -> tuple[Entry, list[Entry]]:
    """A small parser for the .po files this project writes: (header entry, other entries).

    Handles msgctxt, msgid_plural, msgstr[n], multi-line strings, ``#,`` flags,
    ``#.``/``#:``/``# `` comments. Obsolete ``#~`` entries are ignored.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    pending_comments: list[str] = []
    pending_flags: list[str] = []
    pending_auto: list[str] = []
    pending_locations: list[str] = []
    target: tuple[str, int] = ("", 0)
    # Collected raw strings for the entry being read.
    parts: dict[tuple[str, int], list[str]] = {}

    def finish() -> None:
        nonlocal current, parts
        if current is None:
            return
        current.msgctxt = "".join(parts[("msgctxt", 0)]) if ("msgctxt", 0) in parts else None
        current.msgid = "".join(parts.get(("msgid", 0), []))
        if ("msgid_plural", 0) in parts:
            current.msgid_plural = "".join(parts[("msgid_plural", 0)])
        indexes = sorted(i for kind, i in parts if kind == "msgstr")
        current.msgstr = ["".join(parts[("msgstr", i)]) for i in indexes] or [""]
        entries.append(current)
        current = None
        parts = {}

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and ("msgstr", 0) in parts:
                finish()
            if line.startswith("#,"):
                pending_flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#."):
                pending_auto.append(line[2:].strip())
            elif line.startswith("#:"):
                pending_locations.extend(line[2:].split())
            elif line.startswith("#|"):
                continue
            else:
                pending_comments.append(line[1:].removeprefix(" "))
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            parts.setdefault(target, []).append(_unquote(line))
            continue
        match = re.fullmatch(r"(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])?", keyword)
        if match is None:
            raise ValueError(f"cannot parse .po line: {raw!r}")
        kind, index = match.group(1), int(match.group(2) or 0)
        if kind in {"msgctxt", "msgid"} and current is not None and ("msgstr", 0) in parts:
            finish()
        if current is None:
            current = Entry(
                msgid="",
                translator_comments=pending_comments,
                flags=pending_flags,
                auto_comments=pending_auto,
                locations=pending_locations,
            )
            pending_comments, pending_flags, pending_auto, pending_locations = [], [], [], []
        target = (kind, index)
        parts.setdefault(target, []).append(_unquote(rest))
    finish()
    if not entries or entries[0].msgid != "" or entries[0].msgctxt is not None:
        raise ValueError("the .po file has no header entry")
    return entries[0], entries[1:]


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    )
    return f'"{escaped}"'


def _wrap(text: str, width: int = 76) -> list[str]:
    """Split a string into pieces for a multi-line .po string, like xgettext does."""
    pieces: list[str] = []
    for segment in re.split(r"(?<=\n)", text):
        if not segment:
            continue
        words = re.split(r"(?<= )", segment)
        line = ""
        for word in words:
            if line and len(_quote(line + word)) > width:
                pieces.append(line)
                line = ""
            line += word
        if line:
            pieces.append(line)
    return pieces or [""]


def _field(keyword: str, text: str) -> list[str]:
    one_line = f"{keyword} {_quote(text)}"
    if len(one_line) <= 79 and "\n" not in text[:-1]:
        return [one_line]
    return [f'{keyword} ""', *(_quote(piece) for piece in _wrap(text))]


def format_entry(entry: Entry) -> str:
    lines = [f"# {c}".rstrip() for c in entry.translator_comments]
    lines += [f"#. {c}" for c in entry.auto_comments]
    location_line = ""
    for location in entry.locations:
        if location_line and len(location_line) + 1 + len(location) > 79:
            lines.append(location_line)
            location_line = ""
        location_line = f"{location_line} {location}" if location_line else f"#: {location}"
    if location_line:
        lines.append(location_line)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    if entry.msgctxt is not None:
        lines += _field("msgctxt", entry.msgctxt)
    lines += _field("msgid", entry.msgid)
    if entry.msgid_plural is not None:
        lines += _field("msgid_plural", entry.msgid_plural)
        for i, text in enumerate(entry.msgstr):
            lines += _field(f"msgstr[{i}]", text)
    else:
        lines += _field("msgstr", entry.msgstr[0])
    return "\n".join(lines) + "\n"


def merge(header: Entry, old: Iterable[Entry], new: dict[Key, Entry]) -> list[Entry]:
    """The new catalogue's entries, keeping translations, flags and comments from the old."""
    previous = {entry.key: entry for entry in old}
    merged = []
    for key, entry in new.items():
        known = previous.get(key)
        if known is not None and (known.msgid_plural is None) == (entry.msgid_plural is None):
            entry.msgstr = known.msgstr
            entry.translator_comments = known.translator_comments
            entry.flags = [*entry.flags, *(f for f in known.flags if f not in entry.flags)]
            if entry.msgid_plural is not None and known.msgid_plural != entry.msgid_plural:
                entry.flags.append("fuzzy")
        merged.append(entry)
    return [header, *merged]


def main() -> int:
    warnings: list[str] = []
    try:
        new = extract(warnings=warnings)
    except ExtractionError as exc:
        sys.stderr.write(f"extract_messages: {exc}\n")
        return 1
    for warning in warnings:
        sys.stderr.write(f"extract_messages: warning: {warning}\n")
    if PO_PATH.exists():
        header, old = parse_po(PO_PATH.read_text(encoding="utf-8"))
    else:
        header, old = Entry(msgid="", msgstr=[DEFAULT_HEADER], translator_comments=NOTE), []
    entries = merge(header, old, new)
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    PO_PATH.write_text("\n".join(format_entry(e) for e in entries), encoding="utf-8")
    untranslated = sum(1 for e in entries[1:] if not all(e.msgstr) or "fuzzy" in e.flags)
    sys.stdout.write(
        f"{PO_PATH.relative_to(ROOT)}: {len(entries) - 1} messages, "
        f"{untranslated} untranslated or fuzzy\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
