"""D003 possible-duplicate: an open item whose title is nearly the same as an earlier one's.

Why: duplicates split the discussion, the votes and the estimates of one need over two
tickets, and sooner or later two people build the same thing.

How to fix: merge the two items (keep the richer one, link or close the other), or make the
titles say how they differ. Titles are compared case- and word-order-insensitively
(rapidfuzz's token sort ratio, 0..100); a pair at or above ``threshold`` is reported once, on
the later item, naming the earlier one. Titles that differ in a number or version ("Upgrade
PostgreSQL to 16" and "... to 17", "Q3 release notes" and "Q4 release notes") are different
items, however similar the rest: words holding a digit must be the same in both.

Scaling: exact duplicates are grouped first; distinct titles are then only compared within
blocks of titles sharing one of their two rarest words (large blocks are compared in sorted
windows), so 100k items cost seconds, not the 5 billion comparisons of every pair.

Failing example (``threshold: 90``)::

    - key: SHOP-8
      title: Show delivery date on product page
    - key: SHOP-9
      title: Show delivery date on the product page

Passing examples::

    - key: SHOP-8
      title: Show delivery date on product page
    - key: SHOP-9
      title: Show stock level on product page
    - key: SHOP-10
      title: Upgrade PostgreSQL to 16
    - key: SHOP-11
      title: Upgrade PostgreSQL to 17
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from pydantic import Field, PositiveInt

from backlogctl.lint.context import LintContext
from backlogctl.lint.rule import Rule, RuleOptions, Violation
from backlogctl.models import BacklogItem

#: How many of a title's rarest words put it into a comparison block.
_BLOCKING_WORDS = 2
_DIGIT = re.compile(r"\d")
#: Largest block compared all-against-all; larger ones are compared in sorted windows.
_WINDOW = 256


class Options(RuleOptions):
    """Options of D003."""

    threshold: float = Field(
        90, ge=0, le=100, description="Similarity (0..100) at or above which titles are reported."
    )
    min_words: PositiveInt = Field(2, description="Titles with fewer words are not compared.")
    include_done: bool = Field(False, description="Also compare done items.")


def check(
    items: Sequence[BacklogItem], context: LintContext, options: Options
) -> Iterator[Violation]:
    """Each item whose title is similar to an earlier item's, with its best earlier match."""
    from rapidfuzz.utils import default_process

    candidates: list[BacklogItem] = []
    first_of: dict[str, int] = {}
    normalized: list[str] = []
    word_sets: list[set[str]] = []  # words of each distinct title, in first_of's order
    seen: dict[str, tuple[str, list[str]]] = {}  # title as written -> normalized, words
    # One pass reads both the status and the title of an item (100k items do not stay in
    # the CPU cache from one pass to the next).
    for item in items:
        if not options.include_done and item.status_category == "done":
            continue
        title = item.title
        known = seen.get(title)
        if known is None:
            words = default_process(title).split()
            text = " ".join(sorted(words)) if len(words) >= options.min_words else ""
            known = seen[title] = (text, words)
        text = known[0]
        if text and text not in first_of:
            first_of[text] = len(candidates)
            word_sets.append(set(known[1]))
        candidates.append(item)
        normalized.append(text)
    uniques = list(first_of)
    position = {text: number for number, text in enumerate(uniques)}
    numbers = [_numbers(words) for words in word_sets]
    best = _similar_earlier(uniques, word_sets, numbers, options.threshold)
    described: dict[tuple[str, float], str] = {}  # copies of a title name the same item
    for index, item in enumerate(candidates):
        text = normalized[index]
        if not text:
            continue
        first = first_of[text]
        if first != index:
            other, score = candidates[first], 100.0
        elif position[text] in best:
            score, earlier = best[position[text]]
            other = candidates[first_of[uniques[earlier]]]
        else:
            continue
        message = described.get((other.key, score))
        if message is None:
            message = described[other.key, score] = (
                f"possible duplicate of {other.key} {other.title!r} "
                f"({score:.0f}% similar, {other.source})"
            )
        yield Violation(item, message, other.key)


def _numbers(words: set[str]) -> frozenset[str]:
    """The words of a title that hold a digit (``16``, ``q3``, ``v2``)."""
    return frozenset(word for word in words if _DIGIT.search(word))


def _similar_earlier(
    uniques: list[str], word_sets: list[set[str]], numbers: list[frozenset[str]], threshold: float
) -> dict[int, tuple[float, int]]:
    """For each distinct title, its most similar earlier title (score, index) above threshold.

    Titles whose ``numbers`` differ are never similar.
    """
    from rapidfuzz import fuzz, process

    frequency = Counter(word for words in word_sets for word in words)
    rarity = {word: n for n, word in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(word_sets):
        keys = words if len(words) <= _BLOCKING_WORDS else sorted(words, key=rarity.__getitem__)
        for word in list(keys)[:_BLOCKING_WORDS]:
            blocks[word].append(index)
    best: dict[int, tuple[float, int]] = {}
    for members in blocks.values():
        if len(members) < 2:
            continue
        for rows, columns in _windows(members, uniques):
            choices = [uniques[j] for j in columns]
            for left in rows:
                # extract (not cdist) keeps numpy out: cdist returns numpy arrays, and numpy
                # is an optional install (README, "Install weight").
                hits = process.extract(
                    uniques[left], choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
                )
                for _, score, column in hits:
                    right = columns[column]
                    if left == right or numbers[left] != numbers[right]:
                        continue
                    first, second = (left, right) if left < right else (right, left)
                    current = best.get(second)
                    # The best score wins; between equal scores, the earliest title.
                    if current is None or (score, -first) > (current[0], -current[1]):
                        best[second] = (score, first)
    return best


def _windows(members: list[int], uniques: list[str]) -> Iterator[tuple[list[int], list[int]]]:
    """Row and column index lists to compare: the whole block, or overlapping sorted windows."""
    if len(members) <= _WINDOW:
        yield members, members
        return
    ordered = sorted(members, key=uniques.__getitem__)
    for start in range(0, len(ordered), _WINDOW):
        yield ordered[start : start + _WINDOW], ordered[start : start + 2 * _WINDOW]


RULE = Rule("D003", "possible-duplicate", "warning", __doc__ or "", Options, check)
