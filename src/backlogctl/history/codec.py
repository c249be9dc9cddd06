"""How item records, id lists and rankings are encoded in the history file.

Records are compact JSON (readable with the ``sqlite3`` shell); id lists are sorted,
delta-encoded and zlib-compressed, so a snapshot of 10,000 unchanged items costs a few
kilobytes beyond the records it shares with earlier snapshots.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from backlogctl.history.state import InputScalar, ItemState, ModelState


class CorruptRecord(Exception):
    """A stored value does not decode: the file was damaged or edited."""


#: The stored manual rank is kept per snapshot (``pack_values``), not in the item's record: it
#: is a position over the whole backlog, so one item moved to the top changes every item's
#: ``rank`` (a Jira pull), and would otherwise make every record a new version.
STORED_RANK = "rank"


def item_record(item: ItemState) -> str:
    """The JSON text stored for ``item`` (its digest identifies the version), without its
    stored rank."""
    inputs = {name: value for name, value in item.inputs.items() if name != STORED_RANK}
    return json.dumps(
        [
            item.key,
            item.title,
            item.type,
            item.status,
            item.status_category,
            item.estimate,
            inputs,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=False,
    )


def digest(record: str) -> bytes:
    """The identity of a stored record: 16 bytes of its SHA-256."""
    return hashlib.sha256(record.encode("utf-8", "surrogatepass")).digest()[:16]


def read_item(record: str, rank: InputScalar | None = None) -> ItemState:
    """An ``ItemState`` from its stored JSON text and its stored rank (kept outside it)."""
    try:
        key, title, type_, status, category, estimate, inputs = json.loads(record)
    except (ValueError, TypeError) as exc:
        raise CorruptRecord("an item record does not decode") from exc
    if not isinstance(key, str) or not isinstance(inputs, dict):
        raise CorruptRecord("an item record does not decode")
    if rank is not None:
        inputs[STORED_RANK] = rank
    return ItemState(key, title, type_, status, category, estimate, inputs)


def pack_ids(ids: Sequence[int]) -> bytes:
    """Sorted ids as a compressed list of differences."""
    previous = 0
    deltas = []
    for value in sorted(ids):
        deltas.append(value - previous)
        previous = value
    return zlib.compress(json.dumps(deltas, separators=(",", ":")).encode(), 6)


def unpack_ids(blob: bytes) -> list[int]:
    """The sorted ids of ``pack_ids``."""
    deltas = _unpack(blob)
    if not isinstance(deltas, list) or not all(isinstance(value, int) for value in deltas):
        raise CorruptRecord("an id list does not decode")
    ids = []
    total = 0
    for delta in deltas:
        total += delta
        ids.append(total)
    return ids


def pack_values(values: Sequence[InputScalar | None]) -> bytes:
    """A compressed list of values (the items' stored ranks, in the snapshot's item order)."""
    return zlib.compress(json.dumps(list(values), separators=(",", ":")).encode(), 6)


def unpack_values(blob: bytes, count: int) -> list[InputScalar | None]:
    """The ``count`` values of ``pack_values``."""
    values = _unpack(blob)
    if not isinstance(values, list) or len(values) != count:
        raise CorruptRecord("a value list does not decode")
    return values


def pack_ranking(model: ModelState, index_of: Mapping[str, int]) -> bytes:
    """``model``'s ranking as positions in the snapshot's item list, scores, unscored."""
    document = {
        "ranked": [index_of[key] for key in model.ranked],
        "scores": [model.scores[key] for key in model.ranked],
        "unscored": [[index_of[key], reason] for key, reason in model.unscored.items()],
    }
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 6)


def unpack_ranking(blob: bytes, name: str, inputs: str, keys: Sequence[str]) -> ModelState:
    """The ``ModelState`` stored by ``pack_ranking`` (``keys``: the snapshot's item keys)."""
    document = _unpack(blob)
    try:
        ranked = [keys[index] for index in document["ranked"]]
        scores = dict(zip(ranked, (float(value) for value in document["scores"]), strict=True))
        unscored = {keys[index]: str(reason) for index, reason in document["unscored"]}
        names = json.loads(inputs)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise CorruptRecord(f"the ranking of model {name!r} does not decode") from exc
    return ModelState(name, tuple(str(part) for part in names), ranked, scores, unscored)


def _unpack(blob: bytes) -> Any:
    try:
        return json.loads(zlib.decompress(blob))
    except (zlib.error, ValueError, TypeError) as exc:
        raise CorruptRecord("a stored list does not decode") from exc


def storable(text: str) -> str:
    """``text`` as UTF-8 can hold it: a file name's undecodable byte (a lone surrogate from
    ``os.fsdecode``) becomes ``\\xff``, any other lone surrogate its ``\\ud800`` escape."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def timestamp(moment: dt.datetime) -> str:
    """``moment`` as stored: ISO 8601 in UTC, to the second."""
    return utc(moment).isoformat(timespec="seconds")


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC, to the second (a naive one is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).replace(microsecond=0)


def parse_time(text: str) -> dt.datetime:
    """A stored time back as an aware datetime; ``CorruptRecord`` when it does not parse."""
    try:
        return utc(dt.datetime.fromisoformat(text))
    except ValueError:
        raise CorruptRecord(f"a snapshot time does not decode: {text!r}") from None
