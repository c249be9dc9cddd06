"""Compare YAML readers and item-validation strategies on the same backlog file.

Readers: yaml_rs (what the connector uses), PyYAML's CSafeLoader and pure SafeLoader (when
PyYAML is installed) and ruamel's safe loader (C-accelerated when ruamel.yaml.clib is
installed, else pure Python). Validation: ``BacklogItem.model_validate`` per item vs one
``TypeAdapter(list[BacklogItem])`` call, with the cyclic GC on and off. Usage::

    python bench/bench_readers.py [--size 10000] [--repeat 3] [--slow]

``--slow`` includes the pure-Python readers (tens of seconds on 10k items).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def _best(function: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def _readers(text: str, slow: bool) -> dict[str, Callable[[], object]]:
    import yaml_rs

    readers: dict[str, Callable[[], object]] = {"yaml_rs.loads": lambda: yaml_rs.loads(text)}
    if importlib.util.find_spec("yaml") is not None:
        import yaml  # type: ignore[import-untyped]  # optional, for comparison only

        if getattr(yaml, "__with_libyaml__", False):
            readers["PyYAML CSafeLoader"] = lambda: yaml.load(text, Loader=yaml.CSafeLoader)
        if slow:
            readers["PyYAML SafeLoader (pure)"] = lambda: yaml.load(text, Loader=yaml.SafeLoader)
    from ruamel.yaml import YAML

    has_clib = importlib.util.find_spec("_ruamel_yaml") is not None
    if has_clib:
        readers["ruamel safe (clib)"] = lambda: YAML(typ="safe").load(text)
    if slow:
        readers["ruamel safe (pure)"] = lambda: YAML(typ="safe", pure=True).load(text)
    return readers


def _validation(items: list[dict[str, Any]], repeat: int) -> dict[str, float]:
    from pydantic import TypeAdapter

    from backlogctl.models import BacklogItem, SourceLocation

    prepared = [
        {**item, "status_category": "todo", "source": SourceLocation(file="f", line=index)}
        for index, item in enumerate(items)
    ]
    adapter = TypeAdapter(list[BacklogItem])

    def per_item() -> object:
        return [BacklogItem.model_validate(item) for item in prepared]

    def one_call() -> object:
        return adapter.validate_python(prepared)

    results: dict[str, float] = {}
    for label, function in (("model_validate per item", per_item), ("TypeAdapter(list)", one_call)):
        results[f"{label}, gc on"] = _best(function, repeat)
        gc.disable()
        try:
            results[f"{label}, gc off"] = _best(function, repeat)
        finally:
            gc.enable()
    return results


def main() -> None:
    """Print reader timings relative to yaml_rs, then validation timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow", action="store_true", help="include pure-Python readers")
    parser.add_argument("--data", type=Path, default=_HERE / "data")
    args = parser.parse_args()
    path = args.data / f"backlog_{args.size}.yaml"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(_HERE / "generate.py"), "--sizes", str(args.size)], check=True
        )
    text = path.read_text(encoding="utf-8")
    print(f"{path.name}: {len(text.encode()) / 1e6:.1f} MB, best of {args.repeat}\n")
    print(f"{'reader':<28} {'seconds':>8} {'vs yaml_rs':>11}")
    timings: dict[str, float] = {}
    for name, read in _readers(text, args.slow).items():
        repeat = 1 if "pure" in name else args.repeat
        timings[name] = _best(read, repeat)
        print(
            f"{name:<28} {timings[name]:>8.2f} {timings[name] / timings['yaml_rs.loads']:>10.1f}x"
        )

    import yaml_rs

    document: Any = yaml_rs.loads(text)
    items = document["items"]
    print(f"\n{'validation of ' + str(len(items)) + ' items':<36} {'seconds':>8}")
    for name, seconds in _validation(items, args.repeat).items():
        print(f"{name:<36} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
