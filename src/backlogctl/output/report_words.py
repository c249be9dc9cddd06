"""Sentences shared by the HTML and Markdown reports (plain text, escaped by each format)."""

from __future__ import annotations

from backlogctl.output.compare_common import OPPOSED, READINGS
from backlogctl.report.model import ModelPair


def reading(tau: float | None) -> str:
    """Kendall tau-b in the words ``compare`` uses ("moderate agreement")."""
    if tau is None:
        return "no reading (every item ties under one of the models)"
    return next((words for floor, words in READINGS if tau >= floor), OPPOSED)


def pair_sentence(pair: ModelPair) -> str:
    """``4 of the top 10 shared; over the 62 items both score: weak agreement (Kendall τ 0.28)``."""
    sentence = (
        f"{pair.shared} of the top {min(pair.top, pair.possible)} shared; over the "
        f"{pair.compared} items both score: {reading(pair.kendall_tau)}"
    )
    if pair.kendall_tau is not None:
        sentence += f" (Kendall τ {pair.kendall_tau:.2f})"
    return sentence
