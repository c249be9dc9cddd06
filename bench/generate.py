"""Generate synthetic, realistic YAML backlogs for benchmarks (deterministic per seed).

Usage: ``python bench/generate.py [--sizes 1000,10000,100000] [--seed 7] [--out bench/data]``
writes ``backlog_<size>.yaml`` files shaped like a real team backlog: objectives with key
results, epics and stories, workflow statuses, dates, estimates, RICE/WSJF/ICE inputs (some
missing, as in real life), labels, descriptions and acceptance criteria.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

_VERBS = (
    "Add", "Improve", "Fix", "Redesign", "Migrate", "Speed up", "Localize", "Simplify",
    "Instrument", "Remove", "Support", "Validate", "Cache", "Refactor", "Document",
)  # fmt: skip
_THINGS = (
    "checkout flow", "product search", "cart badge", "order history", "gift cards",
    "payment retries", "shipping estimates", "wishlist sharing", "promo codes", "returns portal",
    "inventory sync", "product reviews", "guest checkout", "address autocomplete", "invoices",
    "recommendations widget", "size guide", "loyalty points", "newsletter signup", "tax rules",
)  # fmt: skip
_QUALIFIERS = (
    "on mobile", "for EU customers", "in the admin", "for returning users", "on iOS",
    "behind a feature flag", "with Apple Pay", "for B2B accounts", "in the mini cart", "",
)  # fmt: skip
_STATUSES = (
    ("Backlog", 30), ("To Do", 25), ("Ready", 8), ("In Progress", 10), ("In Review", 5),
    ("In QA", 3), ("Blocked", 2), ("Done", 15), ("Won't Do", 1), ("Parked", 1),
)  # fmt: skip
_TYPES = (("story", 60), ("bug", 20), ("task", 12), ("spike", 4), ("chore", 4))
_PEOPLE = ("ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hugo", "iris", "jon")
_LABELS = ("checkout", "search", "mobile", "payments", "seo", "a11y", "perf", "growth", "tech-debt")
_COMPONENTS = ("web", "ios", "android", "api", "admin", "data")
_STAKEHOLDERS = ("marketing", "support", "finance", "legal", "ops")
_FIB = (1, 2, 3, 5, 8, 13, 20)
_REACH = (50, 100, 250, 500, 1000, 2500, 5000, 12000, 40000)
_IMPACT = (0.25, 0.5, 1, 2, 3)


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    names, weights = zip(*choices, strict=True)
    return str(rng.choices(names, weights=weights)[0])


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _objectives(count: int) -> list[str]:
    lines = ["objectives:"]
    for number in range(1, count + 1):
        lines.append(f"  - key: O-{number}")
        lines.append(f"    title: {_quoted(f'Grow conversion, theme {number}')}")
        lines.append("    key_results:")
        for kr in range(1, 4):
            lines.append(f"      - key: KR-{number}.{kr}")
            lines.append(f"        title: {_quoted(f'Key result {number}.{kr}')}")
    return lines


def _item(rng: random.Random, number: int, epics: list[str], today: dt.date) -> list[str]:
    title = f"{rng.choice(_VERBS)} {rng.choice(_THINGS)} {rng.choice(_QUALIFIERS)}".strip()
    status = _weighted(rng, _STATUSES)
    created = today - dt.timedelta(days=rng.randint(1, 720))
    updated = created + dt.timedelta(days=rng.randint(0, (today - created).days))
    lines = [
        f"  - key: SHOP-{number}",
        f"    title: {_quoted(title)}",
        f"    type: {_weighted(rng, _TYPES)}",
        f"    status: {status}",
        f"    created: {created.isoformat()}",
        f"    updated: {updated.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
    ]
    if status not in ("Backlog", "To Do", "Ready"):
        lines.append(f"    status_changed: {updated.isoformat()}")
    if rng.random() < 0.8:
        lines.append(f"    priority: {rng.choice(('Highest', 'High', 'Medium', 'Low'))}")
    if rng.random() < 0.7:
        lines.append("    description: |")
        lines.append(f"      As a shopper I want to {title.lower()} so that I can buy faster.")
        lines.append(f"      Context: ticket raised by {rng.choice(_STAKEHOLDERS)}.")
    if rng.random() < 0.6:
        lines.append("    acceptance_criteria:")
        for index in range(rng.randint(1, 4)):
            lines.append(f"      - Criterion {index + 1} for {title.lower()}")
    lines.append(f"    labels: [{', '.join(rng.sample(_LABELS, rng.randint(0, 3)))}]")
    if rng.random() < 0.5:
        lines.append(f"    components: [{rng.choice(_COMPONENTS)}]")
    if rng.random() < 0.3:
        lines.append(f"    stakeholders: [{rng.choice(_STAKEHOLDERS)}]")
    if status != "Backlog" and rng.random() < 0.85:
        lines.append(f"    assignee: {rng.choice(_PEOPLE)}")
    lines.append(f"    reporter: {rng.choice(_PEOPLE)}")
    if epics and rng.random() < 0.75:
        lines.append(f"    parent: {rng.choice(epics)}")
    if rng.random() < 0.6:
        lines.append(f"    objective: KR-{rng.randint(1, 4)}.{rng.randint(1, 3)}")
    if rng.random() < 0.1:
        lines.append(f"    due: {(today + dt.timedelta(days=rng.randint(-30, 120))).isoformat()}")
    if status == "Blocked":
        lines.append(f"    blocked_since: {updated.isoformat()}")
    if rng.random() < 0.85:
        lines.append(f"    estimate: {rng.choice(_FIB)}")
    lines.append(f"    rank: {number}")
    if rng.random() < 0.9:
        rice = {
            "reach": rng.choice(_REACH),
            "impact": rng.choice(_IMPACT),
            "confidence": rng.choice((0.5, 0.8, 1.0, 50, 80, 100)),
            "effort": rng.choice((0.5, 1, 2, 3, 5)),
        }
        if rng.random() < 0.1:
            rice.pop(rng.choice(list(rice)))
        lines.append("    rice: {" + ", ".join(f"{k}: {v}" for k, v in rice.items()) + "}")
    if rng.random() < 0.7:
        lines.append("    wsjf:")
        for name in ("business_value", "time_criticality", "risk_reduction", "job_size"):
            if rng.random() < 0.95:
                lines.append(f"      {name}: {rng.choice(_FIB)}")
    if rng.random() < 0.5:
        ice = (rng.randint(1, 10), rng.randint(1, 10), rng.randint(1, 10))
        lines.append(f"    ice: {{impact: {ice[0]}, confidence: {ice[1]}, ease: {ice[2]}}}")
    if rng.random() < 0.2:
        lines.append(f"    fields: {{revenue_impact: {rng.randint(1, 500) * 100}}}")
    if rng.random() < 0.02:
        lines.append("    lint: {ignore: [S001], reason: waiting for legal review}")
    return lines


def generate(size: int, seed: int = 7) -> str:
    """The YAML text of a backlog of ``size`` items (same seed and size: same text)."""
    rng = random.Random(seed * 1_000_003 + size)
    today = dt.date(2026, 1, 15)
    lines = [f"name: Shop backlog ({size} items, synthetic)", *_objectives(4), "items:"]
    epic_count = max(1, size // 40)
    epics: list[str] = []
    for number in range(1, size + 1):
        if number <= epic_count:
            title = f"Epic: {rng.choice(_THINGS)} overhaul {number}"
            lines += [
                f"  - key: SHOP-{number}",
                f"    title: {_quoted(title)}",
                "    type: epic",
                f"    status: {_weighted(rng, _STATUSES)}",
                f"    created: {(today - dt.timedelta(days=rng.randint(100, 900))).isoformat()}",
                f"    objective: KR-{rng.randint(1, 4)}.{rng.randint(1, 3)}",
                f"    rank: {number}",
            ]
            epics.append(f"SHOP-{number}")
        else:
            lines += _item(rng, number, epics, today)
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write one file per requested size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in (int(part) for part in args.sizes.split(",")):
        path = args.out / f"backlog_{size}.yaml"
        path.write_text(generate(size, args.seed), encoding="utf-8")
        print(f"{path}: {size} items, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
