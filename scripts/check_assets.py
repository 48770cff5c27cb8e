#!/usr/bin/env python3
"""Check that the committed front-end build is current — without Node.

    python scripts/check_assets.py          # verify (make check-assets); exit 1 if stale
    python scripts/check_assets.py --write  # (re)write the manifest; run by frontend/build.sh

frontend/build.sh compiles the Sass and copies files out of node_modules into
diogelu/static/diogelu/ and tests/e2e/vendor/, then calls this script with
--write to record, in diogelu/static/diogelu/build-manifest.json, the sha256
of every build *input* (package.json, package-lock.json, build.sh, every
frontend/scss/*.scss, frontend/licences/*) and every build *output*.

Without --write the hashes are recomputed and compared. The check fails if an
input changed since the last build (someone edited the Sass or bumped a
package but did not rebuild), if an output was edited by hand, deleted, or is
missing, or if an unexpected file sits in a directory the build owns.

Standard library only. Line endings are normalised (CRLF -> LF) before
hashing so a Windows checkout with core.autocrlf still passes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
STATIC = ROOT / "diogelu" / "static" / "diogelu"
E2E_VENDOR = ROOT / "tests" / "e2e" / "vendor"
MANIFEST = STATIC / "build-manifest.json"

FIX = "run `make assets` (frontend/build.sh, needs Node 20+) and commit the result"

# Inputs: everything under frontend/ that affects the build output.
INPUT_GLOBS = [
    (FRONTEND, "package.json"),
    (FRONTEND, "package-lock.json"),
    (FRONTEND, "build.sh"),
    (FRONTEND / "scss", "**/*.scss"),
    (FRONTEND / "licences", "*"),
]

# Directories whose entire contents are produced by the build: any file there
# that is not in the manifest is reported.
OWNED_DIRS = [STATIC / "css", STATIC / "assets", STATIC / "LICENCES", STATIC / "js"]
# Hand-written files that live inside an owned directory.
HAND_WRITTEN = {STATIC / "js" / "init.mjs"}
# Individual generated files outside owned directories (tests/e2e/vendor may
# also hold hand-written helpers, so only these names are checked there).
EXTRA_OUTPUTS = [
    E2E_VENDOR / "axe.min.js",
    E2E_VENDOR / "axe-core-LICENSE.txt",
    E2E_VENDOR / "axe-core-LICENSE-3RD-PARTY.txt",
]


def say(message: str) -> None:
    sys.stdout.write(message + "\n")


def complain(message: str) -> None:
    sys.stderr.write(message + "\n")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def collect_inputs() -> dict[str, str]:
    files: set[Path] = set()
    for base, pattern in INPUT_GLOBS:
        files.update(p for p in base.glob(pattern) if p.is_file())
    return {rel(p): sha256(p) for p in sorted(files)}


def collect_outputs() -> dict[str, str]:
    files: set[Path] = set()
    for d in OWNED_DIRS:
        if d.is_dir():
            files.update(p for p in d.rglob("*") if p.is_file() and p not in HAND_WRITTEN)
    files.update(p for p in EXTRA_OUTPUTS if p.is_file())
    return {rel(p): sha256(p) for p in sorted(files)}


def package_versions() -> dict[str, str]:
    """Top-level package versions from package-lock.json (informational)."""
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock.get("packages", {})
    wanted = packages.get("", {}).get("devDependencies", {}) | packages.get("", {}).get(
        "dependencies", {}
    )
    return {
        name: packages.get(f"node_modules/{name}", {}).get("version", "?")
        for name in sorted(wanted)
    }


def write() -> int:
    manifest = {
        "comment": (
            "Written by frontend/build.sh via scripts/check_assets.py --write. "
            "Do not edit; verify with `make check-assets`."
        ),
        "hash": "sha256 of file bytes with CRLF normalised to LF",
        "packages": package_versions(),
        "inputs": collect_inputs(),
        "outputs": collect_outputs(),
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    say(
        f"wrote {rel(MANIFEST)}: {len(manifest['inputs'])} inputs, "
        f"{len(manifest['outputs'])} outputs"
    )
    return 0


def compare(kind: str, recorded: dict[str, str], actual: dict[str, str]) -> list[str]:
    problems = []
    for path in sorted(recorded.keys() | actual.keys()):
        if path not in actual:
            problems.append(f"{kind} missing: {path}")
        elif path not in recorded:
            problems.append(
                f"{kind} not in manifest: {path}"
                + (" (new input since last build)" if kind == "input" else " (unexpected file)")
            )
        elif recorded[path] != actual[path]:
            problems.append(
                f"{kind} changed: {path}"
                + (" (changed since last build)" if kind == "input" else " (edited by hand?)")
            )
    return problems


def check() -> int:
    if not MANIFEST.is_file():
        complain(f"check-assets: FAILED: {rel(MANIFEST)} not found; {FIX}.")
        return 1
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        recorded_inputs = dict(manifest["inputs"])
        recorded_outputs = dict(manifest["outputs"])
    except (ValueError, KeyError, TypeError) as exc:
        complain(f"check-assets: FAILED: {rel(MANIFEST)} is unreadable ({exc}); {FIX}.")
        return 1

    problems = compare("input", recorded_inputs, collect_inputs())
    problems += compare("output", recorded_outputs, collect_outputs())
    if problems:
        complain("check-assets: FAILED: the committed front-end build is not current.")
        for p in problems:
            complain(f"  - {p}")
        complain(f"Fix: {FIX}.")
        return 1
    say(
        f"check-assets: OK ({len(recorded_inputs)} inputs, {len(recorded_outputs)} outputs "
        "match build-manifest.json)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help="write the manifest (used by frontend/build.sh)"
    )
    args = parser.parse_args(argv)
    return write() if args.write else check()


if __name__ == "__main__":
    sys.exit(main())
