"""The dependency graph (dependencies.py): resolution, containers, cycles, topological order.

Cycles are checked against a brute-force reachability computation on random graphs.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backlogctl.dependencies import Cycle, DependencyGraph, Resolved
from backlogctl.models import BacklogItem


def item(key: str, *depends_on: str, **fields: Any) -> BacklogItem:
    """An open story (``done=True`` for a done one) that depends on ``depends_on``."""
    done = fields.pop("done", False)
    if done:
        fields.update(status="Done", status_category="done")
    return BacklogItem(key=key, title=f"Item {key}", depends_on=list(depends_on), **fields)


def test_resolution_of_done_open_unknown_and_external_keys() -> None:
    items = [
        item("A", "B", "C", "X-1", "X-2", "NOPE"),
        item("B"),
        item("C", done=True),
    ]
    graph = DependencyGraph(items, external={"X-1": "done", "X-2": "in_progress"})
    assert graph.resolved("A") == Resolved(open=("B",), external=("X-2",), unknown=("NOPE",))
    assert graph.open_dependencies("B") == ()
    assert graph.resolved("missing") == Resolved((), (), ())
    assert graph.cycles == []


def test_a_key_in_the_backlog_wins_over_the_external_status() -> None:
    graph = DependencyGraph([item("A", "B"), item("B")], external={"B": "done"})
    assert graph.open_dependencies("A") == ("B",)


def test_a_container_stands_for_its_open_leaves_down_any_depth() -> None:
    items = [
        item("A", "EPIC"),
        item("EPIC", type="epic"),
        item("S1", parent="EPIC"),
        item("S2", parent="EPIC", done=True),
        item("SUB", parent="EPIC", type="epic"),
        item("S3", parent="SUB"),
        item("S4", parent="SUB", status="In Progress", status_category="in_progress"),
        item("EMPTY", type="epic"),
        item("S5", parent="EMPTY", done=True),
        item("B", "EMPTY", "S2"),
    ]
    graph = DependencyGraph(items)
    assert graph.open_dependencies("A") == ("S1", "S3", "S4")
    assert graph.is_container("EPIC") and not graph.is_container("S1")
    # An open epic whose children are all done leaves nothing to wait for; done is done.
    assert graph.open_dependencies("B") == ()
    assert graph.cycles == []


def test_a_done_container_is_a_met_dependency_even_with_open_children() -> None:
    items = [item("A", "EPIC"), item("EPIC", done=True), item("S1", parent="EPIC")]
    assert DependencyGraph(items).open_dependencies("A") == ()


def test_a_story_waiting_for_its_own_epic_is_a_cycle() -> None:
    items = [item("EPIC"), item("S1", "EPIC", parent="EPIC"), item("S2", parent="EPIC")]
    graph = DependencyGraph(items)
    assert graph.cycles == [Cycle(members=("EPIC", "S1"), path=("EPIC", "S1"))]
    assert graph.open_dependencies("S1") == ("S2",)


def test_a_parent_cycle_is_not_a_dependency_cycle() -> None:
    items = [item("A", parent="B"), item("B", parent="A"), item("C", "A")]
    graph = DependencyGraph(items)
    assert graph.cycles == []
    assert graph.open_dependencies("C") == ("A",)


def test_self_loop_and_two_cycles_found_once_each_from_their_first_item() -> None:
    items = [
        item("A", "B"),
        item("B", "C"),
        item("C", "A", "D"),
        item("D"),
        item("SELF", "SELF"),
        item("E", "F"),
        item("F", "E"),
        item("DONE", "DONE", done=True),
    ]
    graph = DependencyGraph(items)
    assert graph.cycles == [
        Cycle(("A", "B", "C"), ("A", "B", "C")),
        Cycle(("SELF",), ("SELF",)),
        Cycle(("E", "F"), ("E", "F")),
    ]
    assert graph.cycle_of("B") == graph.cycles[0]
    assert graph.in_cycle("F") and not graph.in_cycle("D") and graph.cycle_of("D") is None


def test_a_knot_names_its_shortest_loop_through_the_first_member() -> None:
    # A -> B -> C -> D -> A, plus the shortcut B -> A: the loop named is A, B.
    items = [item("A", "B"), item("B", "C", "A"), item("C", "D"), item("D", "A")]
    (cycle,) = DependencyGraph(items).cycles
    assert cycle.members == ("A", "B", "C", "D")
    assert cycle.path == ("A", "B")


def test_a_done_item_breaks_a_cycle() -> None:
    items = [item("A", "B"), item("B", "A", done=True)]
    assert DependencyGraph(items).cycles == []


def test_a_long_cycle_and_nested_cycles_are_found_once_without_recursion() -> None:
    count = 50_000  # far deeper than Python's recursion limit
    keys = [f"K-{n}" for n in range(count)]
    items = [item(key, keys[(n + 1) % count]) for n, key in enumerate(keys)]
    # Inside the big loop, 100 small ones hang off every 500th item: a separate component each.
    items += [item(f"L-{n}", f"M-{n}", keys[n * 500]) for n in range(100)]
    items += [item(f"M-{n}", f"L-{n}") for n in range(100)]
    graph = DependencyGraph(items)
    assert len(graph.cycles) == 101
    assert graph.cycles[0].members == tuple(keys)
    assert graph.cycles[0].path == tuple(keys)
    assert {cycle.members for cycle in graph.cycles[1:]} == {
        (f"L-{n}", f"M-{n}") for n in range(100)
    }


def test_topological_order_puts_dependencies_first_by_priority() -> None:
    items = [item("A", "C"), item("B"), item("C", "EPIC"), item("EPIC"), item("S", parent="EPIC")]
    items += [item("X", "Y"), item("Y", "X"), item("Z", "X")]
    graph = DependencyGraph(items)
    keys = ["A", "B", "C", "S", "X", "Y", "Z"]
    # Backlog order with A's dependencies pulled forward right before it; X and Y form a
    # cycle and Z waits for it: all three left out.
    assert graph.topological_order(keys) == ["S", "C", "A", "B"]
    priority = {"A": 4.0, "B": 1.0, "C": 3.0, "S": 2.0}
    assert graph.topological_order(keys, priority) == ["B", "S", "C", "A"]
    # A dependency outside the keys counts as met.
    assert graph.topological_order(["C", "A"], priority) == ["C", "A"]
    assert graph.topological_order(["A", "B"], priority) == ["B", "A"]


# --- random graphs against brute force ----------------------------------------------------------

_SIZE = 9


@st.composite
def backlogs(draw: st.DrawFn) -> list[BacklogItem]:
    """Random small backlogs: dependencies (including self-loops), parents, done items."""
    count = draw(st.integers(1, _SIZE))
    keys = [f"K-{n}" for n in range(count)]
    items = []
    for key in keys:
        depends = draw(st.lists(st.sampled_from([*keys, "UNKNOWN"]), max_size=3))
        parent = draw(st.one_of(st.none(), st.sampled_from(keys)))
        done = draw(st.integers(0, 4)) == 0
        items.append(item(key, *depends, parent=parent, done=done))
    return items


def _reference_edges(items: list[BacklogItem]) -> dict[str, set[str]]:
    """The graph's edges written out plainly (parent cycles found by walking up)."""
    by_key = {entry.key: entry for entry in items}

    def in_parent_cycle(key: str) -> bool:
        seen: list[str] = []
        current: str | None = key
        while current is not None and current in by_key and current not in seen:
            seen.append(current)
            current = by_key[current].parent
        return current == key

    edges: dict[str, set[str]] = {entry.key: set() for entry in items}
    for entry in items:
        if entry.is_done:
            continue
        edges[entry.key].update(
            name for name in entry.depends_on if name in by_key and not by_key[name].is_done
        )
        edges[entry.key].update(
            child.key
            for child in items
            if child.parent == entry.key and not child.is_done and not in_parent_cycle(child.key)
        )
    return edges


def _reachable(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Keys reachable from each key in one or more steps (transitive closure)."""
    reach = {key: set(targets) for key, targets in edges.items()}
    for middle, start in itertools.product(edges, edges):
        if middle in reach[start]:
            reach[start] |= reach[middle]
    return reach


@settings(max_examples=300, deadline=None)
@given(backlogs())
def test_cycles_are_exactly_the_strongly_connected_parts(items: list[BacklogItem]) -> None:
    edges = _reference_edges(items)
    reach = _reachable(edges)
    order = [entry.key for entry in items]
    expected = {
        tuple(key for key in order if key == start or (key in reach[start] and start in reach[key]))
        for start in order
        if start in reach[start]
    }
    graph = DependencyGraph(items)
    members = [cycle.members for cycle in graph.cycles]
    assert len(members) == len(set(members))
    assert set(members) == expected
    assert [order.index(cycle.members[0]) for cycle in graph.cycles] == sorted(
        order.index(cycle.members[0]) for cycle in graph.cycles
    )
    for cycle in graph.cycles:
        assert cycle.path[0] == cycle.members[0]
        loop = [*cycle.path, cycle.path[0]]
        assert all(after in edges[before] for before, after in itertools.pairwise(loop))


@settings(max_examples=200, deadline=None)
@given(backlogs(), st.randoms(use_true_random=False))
def test_topological_order_respects_every_dependency(items: list[BacklogItem], rng: Any) -> None:
    graph = DependencyGraph(items)
    keys = [entry.key for entry in items if not entry.is_done]
    rng.shuffle(keys)
    priority = {key: rng.random() for key in keys}
    ordered = graph.topological_order(keys, priority)
    assert len(ordered) == len(set(ordered))
    position = {key: n for n, key in enumerate(ordered)}
    for key in keys:
        waits = [name for name in graph.open_dependencies(key) if name in keys]
        if key in position:
            assert all(position.get(name, len(keys)) < position[key] for name in waits)
        else:
            # Left out only when it (transitively) waits for a cycle.
            assert graph.in_cycle(key) or any(
                graph.in_cycle(name) or name not in position for name in waits
            )
    assert not any(graph.in_cycle(key) for key in ordered)
