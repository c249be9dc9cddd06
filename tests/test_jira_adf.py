"""ADF (Jira REST v3 rich text) to plain text, on a realistic story description."""

from __future__ import annotations

from typing import Any

from backlogctl.connectors.jira_adf import adf_to_text


def _text(value: str, *marks: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def _paragraph(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def _item(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "listItem", "content": list(content)}


REALISTIC = {
    "type": "doc",
    "version": 1,
    "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [_text("Context")]},
        _paragraph(
            _text("Shoppers abandon the cart when "),
            _text("shipping costs", {"type": "strong"}),
            _text(" appear late. See "),
            _text(
                "the funnel report",
                {"type": "link", "attrs": {"href": "https://bi.example.com/funnel"}},
            ),
            _text("."),
            {"type": "hardBreak"},
            _text("Raised by "),
            {"type": "mention", "attrs": {"id": "557058:abc", "text": "@Grace Hopper"}},
            _text(" on "),
            {"type": "date", "attrs": {"timestamp": "1736899200000"}},
        ),
        {
            "type": "bulletList",
            "content": [
                _item(_paragraph(_text("Show costs on the product page"))),
                _item(
                    _paragraph(_text("Estimate by postcode")),
                    {
                        "type": "bulletList",
                        "content": [
                            _item(_paragraph(_text("EU only "), _text("v1", {"type": "code"})))
                        ],
                    },
                ),
            ],
        },
        {
            "type": "orderedList",
            "attrs": {"order": 1},
            "content": [
                _item(_paragraph(_text("Add the API call"))),
                _item(_paragraph(_text("Render the badge"))),
            ],
        },
        {
            "type": "codeBlock",
            "attrs": {"language": "python"},
            "content": [_text("def shipping(cart):\n    return quote(cart)")],
        },
        {"type": "rule"},
        {"type": "blockquote", "content": [_paragraph(_text("Ship it before Black Friday."))]},
        {
            "type": "panel",
            "attrs": {"panelType": "warning"},
            "content": [_paragraph(_text("Legal must review the copy."))],
        },
        {"type": "mediaSingle", "content": [{"type": "media", "attrs": {"id": "x"}}]},
    ],
}

EXPECTED = """\
## Context

Shoppers abandon the cart when shipping costs appear late. See the funnel report (https://bi.example.com/funnel).
Raised by @Grace Hopper on 2025-01-15

- Show costs on the product page
- Estimate by postcode
  - EU only `v1`

1. Add the API call
2. Render the badge

```python
def shipping(cart):
    return quote(cart)
```

---

> Ship it before Black Friday.

WARNING: Legal must review the copy."""


def test_realistic_description_becomes_readable_text() -> None:
    assert adf_to_text(REALISTIC) == EXPECTED


def test_wiki_markup_from_api_v2_is_kept_as_text() -> None:
    wiki = "h2. Context\n\n* Show costs\n* [funnel|https://bi.example.com]\n"
    assert adf_to_text(wiki) == wiki.strip()


def test_empty_documents_are_no_description() -> None:
    assert adf_to_text(None) is None
    assert adf_to_text({"type": "doc", "version": 1, "content": []}) is None
    assert adf_to_text("   ") is None


def test_table_rows_become_pipe_separated_lines() -> None:
    cell = {"type": "tableCell", "content": [_paragraph(_text("Reach"))]}
    other = {"type": "tableCell", "content": [_paragraph(_text("1200"))]}
    doc = {
        "type": "doc",
        "version": 1,
        "content": [{"type": "table", "content": [{"type": "tableRow", "content": [cell, other]}]}],
    }
    assert adf_to_text(doc) == "| Reach | 1200 |"


def test_unknown_nodes_still_contribute_their_text() -> None:
    doc = {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "expand", "content": [_paragraph(_text("hidden details"))]},
            _paragraph({"type": "emoji", "attrs": {"shortName": ":rocket:"}}, _text(" go")),
            _paragraph({"type": "inlineCard", "attrs": {"url": "https://example.com/x"}}),
        ],
    }
    assert adf_to_text(doc) == "hidden details\n\n:rocket: go\n\nhttps://example.com/x"
