"""The dependency side of capacity planning: what can never be planned, and in which order.

Pure functions over task keys and their dependency keys (``Task.depends_on``). A dependency is
either another task of the plan, a key the caller explains (``outside``: left out by the
filters, open outside the backlog) or unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from backlogctl.dependencies import pulled_forward_order


class Reason(StrEnum):
    """Why an open item is not in the plan (the ``reason`` of the plan JSON's ``unplanned``)."""

    NO_ESTIMATE = "no_estimate"
    LARGER_THAN_ANY_SPRINT = "larger_than_any_sprint"
    UNKNOWN_DEPENDENCY = "unknown_dependency"
    DEPENDENCY_CYCLE = "dependency_cycle"
    DEPENDENCY_NOT_PLANNED = "dependency_not_planned"
    UNSCORED = "unscored"
    DID_NOT_FIT = "did_not_fit"
    BETTER_SET = "better_set"


@dataclass(frozen=True)
class Blocked:
    """An item that no sprint can hold, whatever the capacity left: the reason and its text."""

    reason: Reason
    detail: str
    #: The item where the problem starts (itself, or a dependency further down).
    root: str
    #: The problem where it starts (``detail`` of ``root``).
    root_detail: str


#: Keys of a cycle named in a message before "and N more" (as lint's H008 names them).
CYCLE_KEYS = 20


def cycles(keys: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The dependency cycles among ``keys`` (strongly connected components with an edge
    inside), each in the order its members are first met, listed in order of their first key.

    Iterative Tarjan: a backlog's dependency chain can be longer than Python's recursion limit.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in keys:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = [dep for dep in deps.get(node, ()) if dep in deps]
            if child < len(edges):
                work.append((node, child + 1))
                dep = edges[child]
                if dep not in index:
                    work.append((dep, 0))
                elif dep in on_stack:
                    low[node] = min(low[node], index[dep])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                member = ""
                component: list[str] = []
                while member != node:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                if len(component) > 1 or node in deps.get(node, ()):
                    found.append(component[::-1])
    position = {key: number for number, key in enumerate(keys)}
    for component in found:
        component.sort(key=lambda key: position.get(key, len(position)))
    found.sort(key=lambda component: position.get(component[0], len(position)))
    return found


def cycle_text(members: Sequence[str]) -> str:
    """``A → B → A``, or the first ``CYCLE_KEYS`` keys and "and N more"."""
    if len(members) > CYCLE_KEYS:
        shown = " → ".join(members[:CYCLE_KEYS])
        return f"{shown} → … and {len(members) - CYCLE_KEYS} more"
    return " → ".join([*members, members[0]])


def blocked_items(
    order: Sequence[str],
    deps: Mapping[str, Sequence[str]],
    own: Mapping[str, tuple[Reason, str]],
    outside: Mapping[str, str],
) -> dict[str, Blocked]:
    """Every key of ``order`` that can never be planned, with why.

    ``own`` holds each item's own problem (no estimate, larger than any sprint). Then, in
    this precedence: a member of a dependency cycle; a direct dependency on an unknown key;
    on a key of ``outside`` (with its explanation); on a blocked item (a cycle member's
    dependents are ``dependency_cycle`` too, the rest ``dependency_not_planned``).
    """
    blocked = {key: Blocked(reason, text, key, text) for key, (reason, text) in own.items()}
    for members in cycles(order, deps):
        text = cycle_text(members)
        for key in members:
            detail = f"in a dependency cycle: {text}"
            blocked.setdefault(key, Blocked(Reason.DEPENDENCY_CYCLE, detail, key, detail))
    for key in order:
        if key in blocked:
            continue
        missing = [dep for dep in deps.get(key, ()) if dep not in deps]
        unknown = [dep for dep in missing if dep not in outside]
        if unknown:
            detail = f"depends on {unknown[0]}, which is not in the backlog"
            blocked[key] = Blocked(Reason.UNKNOWN_DEPENDENCY, detail, key, detail)
        elif missing:
            detail = f"depends on {missing[0]}, {outside[missing[0]]}"
            blocked[key] = Blocked(Reason.DEPENDENCY_NOT_PLANNED, detail, key, detail)
    resolved: set[str] = set(blocked)
    for key in order:
        for node in post_order(key, deps, resolved.__contains__):
            resolved.add(node)
            for dep in deps.get(node, ()):
                cause = blocked.get(dep)
                if cause is not None:
                    blocked[node] = _inherited(dep, cause)
                    break
    return blocked


def _inherited(dep: str, cause: Blocked) -> Blocked:
    reason = (
        Reason.DEPENDENCY_CYCLE
        if cause.reason is Reason.DEPENDENCY_CYCLE
        else Reason.DEPENDENCY_NOT_PLANNED
    )
    where = "" if cause.root == dep else f"{cause.root}: "
    detail = f"depends on {dep}, which cannot be planned ({where}{cause.root_detail})"
    return Blocked(reason, detail, cause.root, cause.root_detail)


def post_order(
    key: str, deps: Mapping[str, Sequence[str]], done: Callable[[str], bool]
) -> list[str]:
    """``key`` and its dependencies among ``deps`` not ``done``: dependencies first.

    Dependencies are visited in the order written; a key met twice is listed once; a cycle
    (which callers have blocked before) cannot loop.
    """
    if done(key):
        return []
    result: list[str] = []
    seen = {key}
    work: list[tuple[str, int]] = [(key, 0)]
    while work:
        node, child = work.pop()
        edges = deps.get(node, ())
        while child < len(edges):
            dep = edges[child]
            child += 1
            if dep in deps and dep not in seen and not done(dep):
                seen.add(dep)
                work.append((node, child))
                work.append((dep, 0))
                break
        else:
            result.append(node)
    return result


def dependency_order(
    keys: Collection[str], deps: Mapping[str, Sequence[str]], position: Mapping[str, int]
) -> list[str]:
    """``keys`` with each item after its dependencies among them, otherwise by ``position``;
    a dependency comes right before the most urgent item waiting for it."""
    chosen = set(keys)
    waiting_for = {
        key: [dep for dep in dict.fromkeys(deps.get(key, ())) if dep in chosen] for key in chosen
    }
    return pulled_forward_order(waiting_for, {key: (position[key],) for key in chosen})


#: How many keys of a closure's dependency-first order ``Closure.head`` keeps.
HEAD_KEYS = 11


@dataclass(frozen=True)
class Closure:
    """An item with its dependencies not yet done, as ``post_order`` lists them."""

    #: The sum of their points, added in ``post_order``'s order.
    points: float
    #: How many keys ``post_order`` lists (the item included).
    size: int
    #: The first ``HEAD_KEYS`` keys ``post_order`` lists.
    head: tuple[str, ...]
    #: The fewest points of a dependency (not the item) whose own dependencies are all
    #: done: the only ones that could go into a sprint on their own; inf when none.
    ready_points: float


class Closures:
    """``post_order``'s summary per item, memoized so a long chain is walked once, not once
    per item on it (which made ``plan`` quadratic in the chain's length).

    An item with one open dependency extends that dependency's closure (its ``post_order``
    is the dependency's plus itself); any other item is walked in full. ``done`` may only
    grow: call ``clear`` after it does. ``visits`` counts the keys looked at.
    """

    def __init__(
        self,
        deps: Mapping[str, Sequence[str]],
        points: Mapping[str, float],
        done: Callable[[str], bool],
    ) -> None:
        self.deps = deps
        self.points = points
        self.done = done
        self.visits = 0
        self._memo: dict[str, Closure] = {}

    def clear(self) -> None:
        """Forget every closure (``done`` has grown)."""
        self._memo.clear()

    def _open(self, key: str) -> list[str]:
        return list(
            dict.fromkeys(d for d in self.deps.get(key, ()) if d in self.deps and not self.done(d))
        )

    def _ready(self, key: str) -> bool:
        return all(self.done(dep) for dep in self.deps.get(key, ()))

    def of(self, key: str) -> Closure:
        """The closure of ``key`` (not done itself)."""
        chain: list[str] = []
        on_chain: set[str] = set()
        node = key
        # Down the single-dependency links to a known closure or one to walk in full (a
        # cycle, which callers have blocked before, is walked in full too).
        while node not in self._memo:
            self.visits += 1
            open_deps = self._open(node)
            if len(open_deps) != 1 or open_deps[0] in on_chain:
                self._memo[node] = self._walk(node, not open_deps)
                break
            chain.append(node)
            on_chain.add(node)
            node = open_deps[0]
        below = self._memo[node]
        ready = self._ready(node)
        for above in reversed(chain):
            ready_points = below.ready_points
            if ready:
                ready_points = min(ready_points, self.points[node])
            head = below.head if len(below.head) >= HEAD_KEYS else (*below.head, above)
            below = Closure(below.points + self.points[above], below.size + 1, head, ready_points)
            self._memo[above] = below
            node, ready = above, False
        return below

    def _walk(self, key: str, leaf: bool) -> Closure:
        if leaf:
            return Closure(self.points[key], 1, (key,), float("inf"))
        needed = post_order(key, self.deps, self.done)
        self.visits += len(needed)
        ready = [self.points[node] for node in needed[:-1] if self._ready(node)]
        return Closure(
            sum(self.points[node] for node in needed),
            len(needed),
            tuple(needed[:HEAD_KEYS]),
            min(ready, default=float("inf")),
        )
