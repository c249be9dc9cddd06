"""Measure what ``pip install .`` costs a user: wall time and the size of the resulting venv.

Follows the README's first command in a fresh venv (the venv's bundled pip, no upgrade, no
extras unless ``--extras``): ``python3 -m venv V && V/bin/pip install REPO``, timed as a
whole (the wheel build included), then ``du -sk`` of the venv, the installed size of each
distribution (the files its RECORD lists) and, per direct dependency of backlogctl, the size
of what it brings in (less what other direct dependencies bring in).

    python bench/install_weight.py [--repo .] [--extras NAME,...] [--keep DIR]

Run it with any Python >= 3.11; the figures go to bench/README.md ("Install weight").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs inside the measured venv: per distribution (normalized name), its display name, its
# installed size and the distributions it requires (extras left out).
_INVENTORY = r"""
import json, re
from importlib import metadata
from pathlib import Path

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

found = {}
for dist in metadata.distributions():
    size = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            size += path.stat().st_size
    requires = [
        norm(re.split(r"[ ;<>=!~\[(]", line, maxsplit=1)[0])
        for line in dist.requires or []
        if "extra ==" not in line
    ]
    found[norm(dist.metadata["Name"])] = {
        "name": dist.metadata["Name"], "size": size, "requires": requires
    }
print(json.dumps(found))
"""

MIB = 2**20


def _du_kib(path: Path) -> int:
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def _closure(start: str, found: dict[str, dict[str, object]]) -> set[str]:
    """``start`` and every installed distribution it requires, transitively."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in found:
            continue
        seen.add(name)
        requires = found[name]["requires"]
        assert isinstance(requires, list)
        todo.extend(requires)
    return seen


def _report(found: dict[str, dict[str, object]]) -> None:
    def size(name: str) -> int:
        value = found[name]["size"]
        assert isinstance(value, int)
        return value

    print("per distribution:")
    for name in sorted(found, key=lambda name: -size(name)):
        print(f"  {size(name) / MIB:7.1f} MiB  {found[name]['name']}")
    direct = found["backlogctl"]["requires"]
    assert isinstance(direct, list)
    closures = {name: _closure(name, found) for name in direct if name in found}
    # A dependency's group: what it brings in, less what another direct dependency it
    # requires brings in (typer requires rich and pydantic: those get their own groups).
    groups = {
        name: members.difference(
            *(closures[other] for other in closures if other != name and other in members)
        )
        for name, members in closures.items()
    }
    owners: dict[str, list[str]] = {}
    for name, members in groups.items():
        for member in members:
            owners.setdefault(member, []).append(name)
    print("per direct dependency of backlogctl (with what it brings in):")
    for name in sorted(groups, key=lambda name: -sum(size(m) for m in groups[name])):
        total = sum(size(member) for member in groups[name])
        print(f"  {total / MIB:7.1f} MiB  {name}: {', '.join(sorted(groups[name]))}")
    for member in sorted(member for member, names in owners.items() if len(names) > 1):
        users = ", ".join(sorted(owners[member]))
        print(f"  ({size(member) / MIB:.1f} MiB {member} is counted in each of {users})")


def main() -> None:
    """Create the venv, time the install, print the sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--extras", default="", help="comma-separated extras to install too")
    parser.add_argument("--keep", type=Path, help="create the venv here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        venv = args.keep or Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        empty = _du_kib(venv)
        target = str(args.repo.resolve()) + (f"[{args.extras}]" if args.extras else "")
        start = time.perf_counter()
        # pip's stderr (the mirror's "Location ... is ignored" warnings) only on failure.
        pip = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", target], capture_output=True, text=True
        )
        seconds = time.perf_counter() - start
        if pip.returncode:
            sys.exit(pip.stderr)
        total = _du_kib(venv)
        inventory = subprocess.run(
            [str(venv / "bin" / "python"), "-c", _INVENTORY],
            capture_output=True,
            text=True,
            check=True,
        )
    print(f"pip install {target}: {seconds:.1f} s wall")
    print(
        f"venv: {total / 1024:.1f} MiB (empty venv {empty / 1024:.1f} MiB, "
        f"added by the install {(total - empty) / 1024:.1f} MiB)"
    )
    _report(json.loads(inventory.stdout))


if __name__ == "__main__":
    main()
