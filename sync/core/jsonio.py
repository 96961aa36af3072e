"""Fast JSON in and out (orjson), with the standard library as the fallback for what orjson refuses.

orjson is 5-10x faster on the large board exports and snapshots. It refuses a few things the standard
library accepts (NaN/Infinity, lone surrogates such as "\\ud800", integers past 64 bits); those rare
inputs go through `json` so nothing that loaded before fails now, and errors read as they did.
"""
from __future__ import annotations

import dataclasses
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson


def loads(data: str | bytes | bytearray | memoryview) -> Any:
    """Parsed JSON; ValueError (json.JSONDecodeError) as the standard library raises it."""
    with collector_paused():
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            return json.loads(bytes(data) if isinstance(data, memoryview) else data)


def dumps(value: Any, *, indent: bool = False, sort_keys: bool = False) -> bytes:
    """UTF-8 JSON bytes (non-ASCII kept as is), two-space indented when asked. Dataclasses (the model) are
    written as objects of their fields in declaration order, tuples as lists."""
    option = (orjson.OPT_INDENT_2 if indent else 0) | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(value, option=option)
    except TypeError:  # lone surrogates, huge integers: what orjson cannot write, json can (escaped: valid UTF-8)
        separators = None if indent else (",", ":")
        return json.dumps(value, ensure_ascii=True, indent=2 if indent else None, sort_keys=sort_keys,
                          separators=separators, default=_fields).encode("ascii")


def _fields(value: Any) -> dict:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block. Parsing a large export, or normalising its board,
    makes millions of objects and no reference cycles; the collector would walk them every few hundred new objects
    (and the whole heap each time it grows by a quarter), doubling the time of a 200,000-sticky board for nothing.
    Reference counting still frees everything as usual; the collector resumes afterwards if it was running."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running and not gc.get_freeze_count():
            # what the block made (the board: kept) joins the oldest generation without a pass over it, as if it
            # had survived two collections; a full collection still looks at it in its time
            gc.freeze()
            gc.unfreeze()
        if running:
            gc.enable()
