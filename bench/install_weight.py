"""Measure what ``pip install .`` costs a user: wall time and the size of the resulting venv.

Follows the README's first command in a fresh venv (the venv's bundled pip, no upgrade, no
extras unless ``--extras``): ``python3 -m venv V && V/bin/pip install REPO``, timed as a
whole, then ``du -sk`` of the venv and the installed size of each distribution (the files its
RECORD lists), largest first, with what requires it.

    python bench/install_weight.py [--repo .] [--extras compare] [--keep DIR]

Run it with any Python >= 3.11; the figures go to bench/README.md ("Install weight").
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs inside the measured venv: size and reverse requirements of each installed distribution.
_SIZES = r"""
import json, re
from importlib import metadata
from pathlib import Path

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

sizes, required_by = {}, {}
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    total = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    sizes[name] = total
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        wanted = re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0]
        required_by.setdefault(norm(wanted), []).append(name)
print(json.dumps({"sizes": sizes, "required_by": required_by}))
"""


def _du_kib(path: Path) -> int:
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


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
        found = subprocess.run(
            [str(venv / "bin" / "python"), "-c", _SIZES], capture_output=True, text=True, check=True
        )
    data = json.loads(found.stdout)
    print(f"pip install {target}: {seconds:.1f} s wall")
    print(f"venv: {total / 1024:.1f} MiB (empty venv {empty / 1024:.1f} MiB)")
    for name, size in sorted(data["sizes"].items(), key=lambda pair: -pair[1]):
        key = re.sub(r"[-_.]+", "-", name).lower()
        users = ", ".join(sorted(data["required_by"].get(key, [])))
        print(f"  {size / 2**20:7.1f} MiB  {name}" + (f"  (required by {users})" if users else ""))


if __name__ == "__main__":
    main()
