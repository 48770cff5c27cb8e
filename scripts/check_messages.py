#!/usr/bin/env python3
"""Check that the Welsh catalogue is complete, translated and compiled.

    .venv/bin/python scripts/check_messages.py     # run by `make test` (checks target)

Fails (exit 1), naming the msgids, if

1. a string marked for translation in the source (``*.py`` and ``*.jinja`` under
   diogelu/, outside the packages scripts/extract_messages.py excludes) is missing
   from diogelu/locale/cy/LC_MESSAGES/django.po, or the .po holds a msgid the source
   no longer uses. The source is re-extracted in memory with the same code as
   ``make messages`` (pure Python, deterministic, well under a second);
2. a message in the .po is untranslated (any empty msgstr, including any plural
   form) or marked fuzzy;
3. a translation's ``%(name)s``-style placeholders differ from the English ones
   (a missing placeholder loses information; an unknown one raises KeyError when
   the page is drawn);
4. django.mo is missing or does not match the .po: the .mo is read entry by entry
   and must hold exactly the .po's messages (header included) with the same
   translations, and Python's ``gettext.GNUTranslations`` (which Django uses) must
   load it and return the .po's msgstr for every singular msgid. File times are
   not compared: git does not preserve them.

Fix 1 and 4 with ``make messages``; fix 2 and 3 by editing the .po, then
``make messages``. See docs/welsh-language.md.
"""

from __future__ import annotations

import gettext
import re
import struct
import sys
from pathlib import Path

from extract_messages import MO_PATH, PO_PATH, ROOT, Entry, ExtractionError, extract, parse_po

FIX = "run `make messages` and commit diogelu/locale/cy/LC_MESSAGES/django.po and django.mo"
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?(?P<conv>[a-zA-Z%])"
)
CONTEXT_SEPARATOR = "\x04"


def _label(entry: Entry) -> str:
    if entry.msgctxt is not None:
        return f"{entry.msgid!r} (context {entry.msgctxt!r})"
    return repr(entry.msgid)


def _placeholders(text: str) -> list[str]:
    """The placeholders of a format string, %% excluded, named ones sorted."""
    found = [
        f"%({m.group('name')}){m.group('conv')}" if m.group("name") is not None else m.group(0)
        for m in PLACEHOLDER.finditer(text)
        if m.group("conv") != "%"
    ]
    named = sorted(p for p in found if p.startswith("%("))
    positional = [p for p in found if not p.startswith("%(")]
    return named + positional


def check_complete(entries: list[Entry]) -> list[str]:
    """Source and catalogue hold the same messages."""
    problems: list[str] = []
    warnings: list[str] = []
    try:
        source = extract(warnings=warnings)
    except ExtractionError as exc:
        return [f"cannot extract messages: {exc}"]
    for warning in warnings:
        sys.stderr.write(f"check_messages: warning: {warning}\n")
    in_po = {entry.key: entry for entry in entries}
    for key, entry in source.items():
        known = in_po.get(key)
        if known is None:
            problems.append(
                f"not in the .po: {_label(entry)} (used at {', '.join(entry.locations[:3])})"
            )
        elif known.msgid_plural != entry.msgid_plural:
            problems.append(
                f"plural changed: {_label(entry)} is now {entry.msgid_plural!r} in the source, "
                f"{known.msgid_plural!r} in the .po"
            )
    problems.extend(
        f"no longer used in the source: {_label(entry)}"
        for key, entry in in_po.items()
        if key not in source
    )
    return problems


def check_translated(entries: list[Entry], nplurals: int) -> list[str]:
    """Every message translated, none fuzzy, placeholders kept."""
    problems: list[str] = []
    for entry in entries:
        label = _label(entry)
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy (needs checking, then remove the flag): {label}")
        if entry.msgid_plural is not None and len(entry.msgstr) != nplurals:
            problems.append(
                f"has {len(entry.msgstr)} plural forms, Welsh needs {nplurals}: {label}"
            )
        if not all(entry.msgstr):
            problems.append(f"untranslated: {label}")
            continue
        english = _placeholders(entry.msgid)
        if entry.msgid_plural is None:
            welsh = _placeholders(entry.msgstr[0])
            if welsh != english:
                problems.append(
                    f"placeholders differ: {label} has {english}, the translation {welsh}"
                )
            continue
        allowed = set(english) | set(_placeholders(entry.msgid_plural))
        for index, text in enumerate(entry.msgstr):
            extra = set(_placeholders(text)) - allowed
            if extra:
                problems.append(
                    f"unknown placeholders {sorted(extra)} in plural form {index}: {label}"
                )
    return problems


def read_mo(path: Path) -> dict[tuple[str, str | None], list[str]]:
    """A compiled catalogue: (msgctxt-prefixed msgid, msgid_plural) -> msgstr forms."""
    data = path.read_bytes()
    if len(data) < 20:
        raise ValueError("too short to be a .mo file")
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else ""
    if not order:
        raise ValueError("not a .mo file (bad magic number)")
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    catalogue: dict[tuple[str, str | None], list[str]] = {}
    for i in range(count):
        o_len, o_off = struct.unpack(order + "2I", data[originals + 8 * i : originals + 8 * i + 8])
        t_len, t_off = struct.unpack(
            order + "2I", data[translations + 8 * i : translations + 8 * i + 8]
        )
        original = data[o_off : o_off + o_len].decode("utf-8").split("\x00")
        translated = data[t_off : t_off + t_len].decode("utf-8").split("\x00")
        plural = original[1] if len(original) > 1 else None
        catalogue[(original[0], plural)] = translated
    return catalogue


def check_compiled(header: Entry, entries: list[Entry]) -> list[str]:
    """django.mo holds exactly what django.po says."""
    if not MO_PATH.exists():
        return [f"{MO_PATH.relative_to(ROOT)} is missing"]
    try:
        compiled = read_mo(MO_PATH)
        with MO_PATH.open("rb") as fileobj:
            translations = gettext.GNUTranslations(fileobj)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return [f"cannot read {MO_PATH.relative_to(ROOT)}: {exc}"]
    problems: list[str] = []
    expected: dict[tuple[str, str | None], list[str]] = {("", None): header.msgstr}
    for entry in entries:
        original = entry.msgid
        if entry.msgctxt is not None:
            original = entry.msgctxt + CONTEXT_SEPARATOR + entry.msgid
        expected[(original, entry.msgid_plural)] = entry.msgstr
    for key, msgstr in expected.items():
        label = "the header" if key == ("", None) else repr(key[0])
        if key not in compiled:
            problems.append(f"not in the .mo: {label}")
        elif compiled[key] != msgstr:
            problems.append(f"the .mo translates {label} differently from the .po")
    problems.extend(
        f"in the .mo but not the .po: {key[0]!r}" for key in compiled if key not in expected
    )
    for entry in entries:
        if entry.msgid_plural is not None or not entry.msgstr[0]:
            continue
        if entry.msgctxt is None:
            got = translations.gettext(entry.msgid)
        else:
            got = translations.pgettext(entry.msgctxt, entry.msgid)
        if got != entry.msgstr[0]:
            problems.append(f"gettext gives {got!r} for {_label(entry)}")
    return problems


def main() -> int:
    if not PO_PATH.exists():
        sys.stderr.write(f"check_messages: {PO_PATH.relative_to(ROOT)} is missing; {FIX}\n")
        return 1
    try:
        header, entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    except (ValueError, SyntaxError) as exc:
        sys.stderr.write(f"check_messages: cannot parse {PO_PATH.relative_to(ROOT)}: {exc}\n")
        return 1
    match = re.search(r"^Plural-Forms:\s*nplurals=(\d+)", header.msgstr[0], re.MULTILINE)
    nplurals = int(match.group(1)) if match else 2
    sections = [
        ("Source and catalogue differ", check_complete(entries), FIX),
        (
            "Translations missing or wrong",
            check_translated(entries, nplurals),
            "translate in the .po (no fuzzy flags), then `make messages`",
        ),
        ("django.mo does not match django.po", check_compiled(header, entries), FIX),
    ]
    failed = False
    for title, problems, fix in sections:
        if not problems:
            continue
        failed = True
        sys.stderr.write(f"check_messages: {title} ({len(problems)}); {fix}:\n")
        for problem in problems:
            sys.stderr.write(f"  - {problem}\n")
    if failed:
        return 1
    sys.stdout.write(
        f"check_messages: {len(entries)} Welsh messages complete, translated and compiled\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
