"""``backlogctl report --format html``: one self-contained page from a ``Report``.

The page is built by Jinja2 templates (``output/templates/``) with autoescaping on, never by
string concatenation: item titles are untrusted. Untrusted text also passes through the
``text`` filter (one line, controls and bidi characters shown as escapes) before Jinja2
escapes it. CSS is inlined and charts are inline SVG, so the file loads nothing when opened;
links to Jira issues stay links (``http``/``https`` only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from backlogctl import __version__
from backlogctl.output.report_charts import (
    BARS_WIDTH,
    GROUP_RADIUS,
    POINT_RADIUS,
    bars_height,
    family_bars,
    matrix_layout,
    stacked_bars,
)
from backlogctl.output.report_words import (
    any_metric,
    change_words,
    delivery_words,
    grid_words,
    metric_words,
    move_words,
    pair_sentence,
    percent,
    share_of,
)
from backlogctl.output.text import one_line, readable_number
from backlogctl.report.model import QUADRANT_MEANINGS, QUADRANT_NAMES, Matrix, Report
from backlogctl.sanitize import visible

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

#: Fills of the findings chart per severity: a colour and a pattern, never colour alone.
SEVERITY_FILL = {"error": "#d55e00", "warning": "url(#hatch-warning)", "info": "url(#dots-info)"}


def text(value: object) -> str:
    """Untrusted text for HTML: one line, controls visible (Jinja2 escapes the markup)."""
    return visible(one_line(str(value)))


def _number(value: float) -> str:
    return readable_number(value)


def _number_or_text(value: float | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return readable_number(value)
    return text(value)


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def _day(value: dt.date) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.isoformat()


def _input_label(path: str) -> str:
    return text(path.rpartition(".")[2].replace("_", " "))


def _short_label(label: str) -> str:
    """The value axis's label, cut before its explanation in parentheses (it runs vertically)."""
    return text(label.split(" (")[0])


def _link(key: str, url: str | None) -> Markup:
    from markupsafe import Markup, escape

    shown = escape(text(key))
    if url and url.startswith(("https://", "http://")):
        return Markup('<a href="{}">{}</a>').format(url, shown)
    return Markup(shown)


def _progress(share: float | None, label: str) -> Markup:
    """A small SVG progress bar (a chart: it has a title; the text beside it says the same)."""
    from markupsafe import Markup

    filled = 0.0 if share is None else max(0.0, min(1.0, share)) * 158
    words = "no points yet" if share is None else f"{round(share * 100)}%"
    return Markup(
        '<svg class="progress" role="img" viewBox="0 0 160 12" width="160" height="12" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}: {}</title>'
        '<rect x="0.5" y="0.5" width="159" height="11" fill="#ffffff" stroke="#1b1f24"/>'
        '<rect x="1" y="1" width="{:.1f}" height="10" fill="#0072b2"/></svg>'
    ).format(text(label), words, filled)


def _point_key(index: int, matrix: Matrix) -> str:
    return text(matrix.points[index].key)


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("backlogctl.output", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    filters: dict[str, Callable[..., Any]] = {
        "text": text,
        "model_name": text,
        "num": _number,
        "num_or_text": _number_or_text,
        "c": _coordinate,
        "day": _day,
        "input_label": _input_label,
        "short_label": _short_label,
        "point_key": _point_key,
        "pair_sentence": pair_sentence,
        "percent": percent,
        "any_metric": any_metric,
        "share_of": share_of,
        "grid_words": grid_words,
        "delivery_words": delivery_words,
        "metric_words": lambda result: text(metric_words(result)),
        "move_words": move_words,
        "change_words": lambda changes: text(change_words(changes)),
    }
    env.filters.update(filters)
    env.globals.update(
        link=_link,
        progress=_progress,
        version=__version__,
        quadrant_names=QUADRANT_NAMES,
        quadrant_meanings=QUADRANT_MEANINGS,
        point_radius=POINT_RADIUS,
        group_radius=GROUP_RADIUS,
        severity_fill=SEVERITY_FILL,
        bars_width=BARS_WIDTH,
    )
    return env


def _extra_sections(report: Report) -> list[dict[str, str]]:
    """The optional sections present, in page order: anchor, heading and template."""
    sections = []
    if report.okr is not None:
        sections.append(
            {"anchor": "okr", "title": "Objectives and key results", "template": "okr.html.j2"}
        )
    if report.stakeholders is not None:
        sections.append(
            {"anchor": "stakeholders", "title": "Stakeholders", "template": "stakeholders.html.j2"}
        )
    if report.history is not None or report.history_note is not None:
        sections.append(
            {"anchor": "history", "title": "Since the last snapshot", "template": "history.html.j2"}
        )
    return sections


def render_report_html(report: Report) -> str:
    """The report as one self-contained HTML5 page."""
    template = _environment().get_template("report.html.j2")
    people = report.stakeholders.stakeholders if report.stakeholders is not None else []
    requests = stacked_bars(
        [
            (person.name, [("top", person.in_top_n), ("other", len(person.open) - person.in_top_n)])
            for person in people
            if person.open
        ]
    )
    return template.render(
        report=report,
        matrix=matrix_layout(report.matrix) if report.matrix is not None else None,
        bars=family_bars(report.lint.families),
        bars_height=bars_height(len(report.lint.families)),
        stakeholder_bars=requests,
        stakeholder_height=bars_height(len(requests)),
        extra_sections=_extra_sections(report),
    )
