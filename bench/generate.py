"""Generate synthetic, realistic YAML backlogs for benchmarks (deterministic per seed).

Usage: ``python bench/generate.py [--sizes 1000,10000,100000] [--seed 7] [--out bench/data]
[--real-world]`` writes ``backlog_<size>.yaml`` files shaped like a real team backlog:
objectives with key results, epics and stories, workflow statuses, dates, estimates,
RICE/WSJF/ICE inputs (some missing, as in real life), labels, descriptions and acceptance
criteria.

``--real-world`` also writes ``realworld_23313.yaml``: a backlog shaped like the public
story-point datasets (23,313 issues of 16 open-source Jira projects): project-prefixed keys,
long technical titles, multi-paragraph descriptions (some with stack traces and code), story
points, few scoring inputs.
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


#: The 16 projects of the public story-point datasets, with their share of the 23,313 issues.
_PROJECTS = (
    ("MESOS", 1680), ("USERGRID", 482), ("APSTUD", 829), ("TISTUD", 2919), ("BAM", 521),
    ("CLOV", 384), ("DM", 4667), ("DURACLOUD", 666), ("JSWSERVER", 352), ("MULE", 889),
    ("MULESTUDIO", 732), ("XD", 3526), ("TDQ", 1381), ("TESB", 868), ("TIMOB", 2251),
    ("MDL", 1166),
)  # fmt: skip
REAL_WORLD_SIZE = sum(count for _, count in _PROJECTS)
_ACTIONS = (
    "Add", "Allow", "Support", "Fix", "Improve", "Remove", "Update", "Implement", "Expose",
    "Refactor", "Document", "Deprecate", "Validate", "Migrate", "Make", "Ensure", "Handle",
)  # fmt: skip
_SUBJECTS = (
    "the scheduler", "the HTTP endpoint", "framework registration", "the executor",
    "the task launcher", "slave recovery", "the master failover", "the web UI", "the REST API",
    "stream definitions", "the job repository", "the module registry", "the batch step",
    "the connector", "the build plan", "code coverage reports", "the editor outline",
    "content assist", "the project wizard", "the Android emulator", "the iOS simulator",
    "the deployment descriptor", "the message processor", "the transformer", "the data profiler",
    "the analysis report", "the quiz module", "the gradebook", "course backups", "the forum",
)  # fmt: skip
_DETAILS = (
    "when the configuration file is missing", "for Docker containers", "with SSL enabled",
    "after a network partition", "in the admin console", "on Windows", "for large files",
    "with multiple frameworks", "using the new API", "in distributed mode", "during upgrade",
    "for non-ASCII names", "with Java 8", "behind a proxy", "in the CLI", "on restart",
    "for read-only users", "when the cache is cold", "with Kerberos authentication", "",
)  # fmt: skip
_WORDS = (
    "the", "a", "to", "of", "and", "in", "is", "that", "for", "it", "with", "as", "on", "be",
    "this", "not", "we", "should", "when", "are", "which", "can", "from", "if", "will", "by",
    "currently", "value", "request", "response", "error", "message", "configuration", "file",
    "user", "server", "client", "module", "stream", "job", "task", "executor", "container",
    "cluster", "resource", "offer", "allocation", "timeout", "exception", "default", "option",
    "property", "thread", "memory", "version", "release", "build", "test", "failure", "log",
    "endpoint", "schema", "field", "column", "table", "query", "index", "cache", "session",
    "deployment", "plugin", "editor", "project", "workspace", "dialog", "preference", "wizard",
    "behaviour", "expected", "actual", "instead", "because", "however", "also", "would",
)  # fmt: skip
_TRACE = (
    "java.lang.NullPointerException", "java.lang.IllegalStateException: not started",
    "org.springframework.beans.factory.BeanCreationException", "java.io.IOException: closed",
)  # fmt: skip


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 24))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _description(rng: random.Random, title: str) -> list[str]:
    """Block-scalar lines of a long issue description: paragraphs, sometimes a trace or code."""
    lines = ["    description: |", f"      {title}."]
    # Lengths vary as in real trackers: most a paragraph or two, some pages long.
    for _ in range(max(1, int(rng.lognormvariate(1.0, 0.8)))):
        lines.append("")
        sentences = [_sentence(rng) for _ in range(rng.randint(1, 6))]
        lines.append("      " + " ".join(sentences))
    if rng.random() < 0.15:
        lines += ["", "      Steps to reproduce:"]
        lines += [f"      {n}. {_sentence(rng)}" for n in range(1, rng.randint(2, 6))]
    if rng.random() < 0.1:
        lines += ["", "      {code}", f"      {rng.choice(_TRACE)}"]
        for depth in range(rng.randint(3, 25)):
            lines.append(
                f"          at org.example.{rng.choice(_WORDS)}.Impl.run(Impl.java:{depth + 40})"
            )
        lines.append("      {code}")
    return lines


def generate_real_world(size: int = REAL_WORLD_SIZE, seed: int = 7) -> str:
    """A backlog shaped like the public story-point datasets (same seed and size: same text)."""
    rng = random.Random(seed * 1_000_003 + size + 1)
    today = dt.date(2026, 1, 15)
    lines = ["name: Open-source issue trackers (synthetic, story-point dataset shape)", "items:"]
    projects = [name for name, count in _PROJECTS for _ in range(count)]
    numbers: dict[str, int] = {}
    epics: dict[str, list[str]] = {}
    for index in range(size):
        project = projects[index * len(projects) // size]
        number = numbers[project] = numbers.get(project, rng.randint(1, 400)) + rng.randint(1, 4)
        key = f"{project}-{number}"
        detail = rng.choice(_DETAILS)
        title = f"{rng.choice(_ACTIONS)} {rng.choice(_SUBJECTS)} {detail}".strip()
        # Real titles name classes, properties and versions: few are near-copies.
        if rng.random() < 0.6:
            name = rng.choice(_WORDS).capitalize() + rng.choice(_WORDS).capitalize()
            title += f" in {name}{rng.choice(('Service', 'Factory', 'Handler', 'Test', ''))}"
        if rng.random() < 0.3:
            title += f" ({rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_WORDS)})"
        if rng.random() < 0.2:
            title += f" since {rng.randint(0, 3)}.{rng.randint(0, 30)}"
        status = _weighted(rng, _STATUSES)
        created = today - dt.timedelta(days=rng.randint(1, 2000))
        updated = created + dt.timedelta(days=rng.randint(0, (today - created).days))
        is_epic = rng.random() < 0.02
        kind = "epic" if is_epic else _weighted(rng, (("story", 55), ("bug", 30), ("task", 15)))
        lines += [
            f"  - key: {key}",
            f"    title: {_quoted(title)}",
            f"    type: {kind}",
            f"    status: {status}",
            f"    created: {created.isoformat()}",
            f"    updated: {updated.isoformat()}T{rng.randint(0, 23):02d}:00:00Z",
        ]
        if rng.random() < 0.9:
            lines += _description(rng, title)
        if rng.random() < 0.6:
            lines.append(f"    assignee: {rng.choice(_PEOPLE)}")
        lines.append(f"    reporter: {rng.choice(_PEOPLE)}")
        if rng.random() < 0.5:
            lines.append(f"    components: [{rng.choice(_COMPONENTS)}]")
        if rng.random() < 0.3:
            lines.append(f"    labels: [{', '.join(rng.sample(_LABELS, rng.randint(1, 2)))}]")
        if is_epic:
            epics.setdefault(project, []).append(key)
        elif epics.get(project) and rng.random() < 0.5:
            lines.append(f"    parent: {rng.choice(epics[project])}")
        lines.append(f"    estimate: {rng.choice((1, 1, 2, 2, 3, 3, 5, 5, 8, 13, 20, 40))}")
        lines.append(f"    rank: {index + 1}")
        if rng.random() < 0.3:
            rice = (rng.choice(_REACH), rng.choice(_IMPACT), rng.choice((50, 80, 100)))
            effort = rng.choice((0.5, 1, 2, 3))
            lines.append(
                f"    rice: {{reach: {rice[0]}, impact: {rice[1]}, confidence: {rice[2]}, "
                f"effort: {effort}}}"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write one file per requested size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument(
        "--real-world", action="store_true", help="Also write the story-point-dataset shape."
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in (int(part) for part in args.sizes.split(",") if part):
        path = args.out / f"backlog_{size}.yaml"
        path.write_text(generate(size, args.seed), encoding="utf-8")
        print(f"{path}: {size} items, {path.stat().st_size / 1e6:.1f} MB")
    if args.real_world:
        path = args.out / f"realworld_{REAL_WORLD_SIZE}.yaml"
        path.write_text(generate_real_world(REAL_WORLD_SIZE, args.seed), encoding="utf-8")
        print(f"{path}: {REAL_WORLD_SIZE} items, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
