"""A1 quoting of tab titles and cell values as Sheets takes and gives them (RAW: text stays text)."""
from __future__ import annotations

import math
from typing import Any

from sync.ports import CellValue


def _whole_tab(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _json_value(value: CellValue) -> Any:
    """RAW input: text stays text, numbers go as JSON numbers (NaN/inf are not JSON: sent as text)."""
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)
