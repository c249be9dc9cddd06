"""Dependencies between items: what each open item waits for, unknown keys, and the cycles.

An item's ``depends_on`` keys resolve against the backlog and, for keys outside it, against
the statuses the source looked up (``Backlog.dependency_statuses``, from Jira):

- a done item (in the backlog or outside it) is a satisfied dependency;
- an open item without children is waited for itself;
- a container (an open item with children in the backlog, an epic) stands for its open
  children, down to the open items without children; an open container whose children are
  all done leaves nothing to wait for;
- a key outside the backlog the source knows as not done is an external dependency;
- any other key is unknown.

Cycles are the strongly connected components of the graph whose nodes are the open items
and whose edges go from an item to each open item it names in ``depends_on`` and from an
open container to each of its open children (a dependency on an epic waits for its
children). Parent cycles (lint's H006) are cut before, so every cycle found here contains at
least one ``depends_on`` edge. Each cycle is found once (iterative Tarjan); a self-loop is a
cycle. Building the graph is linear in items plus dependencies; the expansion of containers
is computed on demand and kept.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from backlogctl.models import BacklogItem


@dataclass(frozen=True, slots=True)
class Resolved:
    """An item's ``depends_on`` after resolution, each part in the order written."""

    #: Open items of the backlog it waits for: containers replaced by their open items
    #: without children, each key once.
    open: tuple[str, ...]
    #: Keys outside the backlog that the source knows and that are not done.
    external: tuple[str, ...]
    #: Keys neither in the backlog nor known to the source.
    unknown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cycle:
    """One dependency cycle (a strongly connected component of the open items)."""

    #: Every item of the component, in backlog order (the first is where lint reports it).
    members: tuple[str, ...]
    #: A shortest closed path from ``members[0]`` back to it, without repeating the first
    #: key at the end; ``(key,)`` for an item that depends on itself.
    path: tuple[str, ...]


class DependencyGraph:
    """The dependency graph of one backlog (see the module docstring for the rules).

    ``external`` maps keys outside the backlog to the status category the source found
    (``todo``, ``in_progress`` or ``done``); a key in the backlog is resolved by its item.
    """

    def __init__(
        self, items: Sequence[BacklogItem], external: Mapping[str, str] | None = None
    ) -> None:
        self.items = items
        self.external: Mapping[str, str] = external or {}
        self.index: dict[str, int] = {item.key: n for n, item in enumerate(items)}
        self._expanded: dict[int, tuple[str, ...]] = {}
        self._resolved: dict[str, Resolved] = {}

    # The parts below are built on first use: lint builds one graph per run, and most
    # backlogs have few dependencies or none (see bench/README.md, "dependencies").

    @cached_property
    def done(self) -> list[bool]:
        """Whether each item (by position) is done: read once, the walks below test it often."""
        return [item.status_category == "done" for item in self.items]

    @cached_property
    def children(self) -> list[list[int]]:
        """Positions of each item's children, parent links of parent-cycle members cut."""
        return _children(self.items, self.index)

    @cached_property
    def cycles(self) -> list[Cycle]:
        """Every dependency cycle once, in the backlog order of their first members."""
        if not any(item.depends_on for item in self.items):
            return []  # every cycle holds a depends_on edge (parent cycles are cut)
        return _cycles(self.items, self.index, self.children, self.done)

    @cached_property
    def _cycle_of(self) -> dict[str, int]:
        return {key: number for number, cycle in enumerate(self.cycles) for key in cycle.members}

    def is_container(self, key: str) -> bool:
        """True when ``key`` is an item of the backlog with children in it."""
        position = self.index.get(key)
        return position is not None and bool(self.children[position])

    def expand(self, key: str) -> tuple[str, ...]:
        """The open work a dependency on ``key`` (an item of the backlog) means.

        ``()`` for a done item or an unknown key, ``(key,)`` for an open item without
        children, and for an open container its open descendants without children, in
        backlog order.
        """
        position = self.index.get(key)
        if position is None or self.done[position]:
            return ()
        if not self.children[position]:
            return (key,)
        found = self._expanded.get(position)
        if found is None:
            found = self._expanded[position] = self._open_leaves(position)
        return found

    def _open_leaves(self, root: int) -> tuple[str, ...]:
        items, children, done = self.items, self.children, self.done
        leaves: list[int] = []
        pending = [root]
        while pending:
            position = pending.pop()
            below = [child for child in children[position] if not done[child]]
            if not children[position]:
                leaves.append(position)
            pending.extend(below)
        return tuple(items[position].key for position in sorted(leaves))

    def resolved(self, key: str) -> Resolved:
        """What the item ``key`` waits for (empty for a key not in the backlog)."""
        found = self._resolved.get(key)
        if found is not None:
            return found
        position = self.index.get(key)
        names = self.items[position].depends_on if position is not None else []
        opened: dict[str, None] = {}
        external: list[str] = []
        unknown: list[str] = []
        for name in names:
            if name in self.index:
                opened.update(dict.fromkeys(self.expand(name)))
            elif name in self.external:
                if self.external[name] != "done":
                    external.append(name)
            else:
                unknown.append(name)
        # Through a container an item may reach itself (a story waiting for its own epic):
        # that is a cycle, reported as one, not something to wait for.
        opened.pop(key, None)
        found = Resolved(tuple(opened), tuple(external), tuple(unknown))
        self._resolved[key] = found
        return found

    def open_dependencies(self, key: str) -> tuple[str, ...]:
        """The open items of the backlog that ``key`` waits for (``resolved(key).open``)."""
        return self.resolved(key).open

    def cycle_of(self, key: str) -> Cycle | None:
        """The cycle ``key`` belongs to, if any."""
        number = self._cycle_of.get(key)
        return None if number is None else self.cycles[number]

    def in_cycle(self, key: str) -> bool:
        """True when ``key`` is a member of a dependency cycle."""
        return key in self._cycle_of

    def topological_order(
        self, keys: Iterable[str], priority: Mapping[str, float] | None = None
    ) -> list[str]:
        """``keys`` ordered so that each comes after the open dependencies it has among them.

        The order follows ``priority`` (lowest first; default: backlog order) with
        dependencies pulled forward: an item comes as early as the most urgent item waiting
        for it, right before that item. Dependencies outside ``keys`` are taken as met
        (placed earlier, or not the caller's concern); cycle members are left out, and so is
        everything waiting for them.
        """
        wanted = dict.fromkeys(key for key in keys if key in self.index)
        own = {
            key: (priority.get(key, float("inf")) if priority else position, position)
            for position, key in ((self.index[key], key) for key in wanted)
        }
        waiting_for = {
            key: [name for name in self.resolved(key).open if name in wanted] for key in wanted
        }
        return pulled_forward_order(waiting_for, own, leave_out=self._cycle_of)


def pulled_forward_order(
    waiting_for: Mapping[str, Sequence[str]],
    own: Mapping[str, tuple[float, ...]],
    leave_out: Collection[str] = (),
) -> list[str]:
    """The keys of ``waiting_for`` by ``own`` weight (lowest first), each after the keys it
    waits for; a dependency comes right before the most urgent item waiting for it.

    Items in ``leave_out``, in a cycle, or waiting for either are left out.
    """
    # Each dependency inherits the urgency of the most urgent item waiting for it.
    urgency = dict(own)
    for key in reversed(_kahn(waiting_for, own, leave_out)):
        for name in waiting_for[key]:
            urgency[name] = min(urgency[name], urgency[key])
    weight = {key: (*urgency[key], *own[key]) for key in waiting_for}
    return _kahn(waiting_for, weight, leave_out)


def _kahn(
    waiting_for: Mapping[str, Sequence[str]],
    weight: Mapping[str, tuple[float, ...]],
    leave_out: Collection[str],
) -> list[str]:
    """Kahn's algorithm, the lowest weight first among the free items; cycles left out."""
    waits = {key: len(names) for key, names in waiting_for.items()}
    dependents: dict[str, list[str]] = {}
    for key, names in waiting_for.items():
        for name in names:
            dependents.setdefault(name, []).append(key)
    ready = [(weight[key], key) for key, count in waits.items() if not count]
    ready = [entry for entry in ready if entry[1] not in leave_out]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, key = heapq.heappop(ready)
        ordered.append(key)
        for dependent in dependents.get(key, ()):
            waits[dependent] -= 1
            if not waits[dependent] and dependent not in leave_out:
                heapq.heappush(ready, (weight[dependent], dependent))
    return ordered


def _children(items: Sequence[BacklogItem], index: Mapping[str, int]) -> list[list[int]]:
    """Children per item (positions), with the parent links of parent-cycle members cut."""
    state = [0] * len(items)  # 0 unseen, 1 on the current walk, 2 done
    cut: set[int] = set()
    for start in range(len(items)):
        walk: list[int] = []
        position: int | None = start
        while position is not None and state[position] == 0:
            state[position] = 1
            walk.append(position)
            parent = items[position].parent
            position = index.get(parent) if parent is not None else None
        if position is not None and state[position] == 1:
            cut.update(walk[walk.index(position) :])
        for walked in walk:
            state[walked] = 2
    children: list[list[int]] = [[] for _ in items]
    for position, item in enumerate(items):
        if item.parent is not None and position not in cut:
            parent_position = index.get(item.parent)
            if parent_position is not None:
                children[parent_position].append(position)
    return children


class _Edges:
    """Out-edges of each open item, computed on demand: the open items it names, and for an
    open container its open children."""

    def __init__(
        self,
        items: Sequence[BacklogItem],
        index: Mapping[str, int],
        children: list[list[int]],
        done: list[bool],
    ) -> None:
        self.items, self.index, self.children, self.done = items, index, children, done
        self._found: dict[int, list[int]] = {}

    def __call__(self, position: int) -> list[int]:
        found = self._found.get(position)
        if found is not None:
            return found
        index, done = self.index, self.done
        out: list[int] = []
        if not done[position]:
            for name in self.items[position].depends_on:
                target = index.get(name)
                if target is not None and not done[target]:
                    out.append(target)
            out.extend(child for child in self.children[position] if not done[child])
        self._found[position] = out
        return out


def _cycles(
    items: Sequence[BacklogItem],
    index: Mapping[str, int],
    children: list[list[int]],
    done: list[bool],
) -> list[Cycle]:
    """Every cycle once, in the backlog order of their first members."""
    edges = _Edges(items, index, children, done)
    # Every cycle holds a depends_on edge, so searching from the items that have one finds
    # them all without walking the rest of the backlog.
    roots = [n for n, item in enumerate(items) if item.depends_on and not done[n]]
    cycles = [
        Cycle(
            tuple(items[member].key for member in component),
            tuple(items[step].key for step in _shortest_loop(component, edges)),
        )
        for component in _components(roots, edges, len(items))
        if len(component) > 1 or component[0] in edges(component[0])
    ]
    cycles.sort(key=lambda cycle: index[cycle.members[0]])
    return cycles


def _components(
    roots: Iterable[int], edges: Callable[[int], list[int]], count: int
) -> list[list[int]]:
    """Strongly connected components reachable from ``roots`` (iterative Tarjan), each
    sorted, dependencies first."""
    number = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in roots:
        if number[root] != -1:
            continue
        number[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, next_edge = work[-1]
            out = edges(node)
            if next_edge < len(out):
                work[-1] = (node, next_edge + 1)
                target = out[next_edge]
                if number[target] == -1:
                    number[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target] and number[target] < low[node]:
                    low[node] = number[target]
                continue
            work.pop()
            if work:
                caller = work[-1][0]
                if low[node] < low[caller]:
                    low[caller] = low[node]
            if low[node] == number[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                component.sort()
                components.append(component)
    return components


def _shortest_loop(component: list[int], edges: Callable[[int], list[int]]) -> list[int]:
    """A shortest closed path from the component's first member back to it (BFS inside it)."""
    start = component[0]
    if start in edges(start):
        return [start]
    inside = set(component)
    came_from: dict[int, int] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in edges(node):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                path.reverse()
                return path
            if target in inside and target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError("a strongly connected component has a loop through each member")
