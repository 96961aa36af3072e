"""The guides a shared Google Sheet gets, in the structural batchUpdate and only when missing: a frozen header
row, sync-owned columns protected warning-only (a person is warned, never blocked), the Status dropdown.

Adding a protection or a rule is not idempotent, so what exists is read from the metadata the sync fetches
anyway: frozen rows and protected ranges directly, the dropdown through a sheet-level developer-metadata mark.
"""
from __future__ import annotations

from typing import Any

from sync.core.sheet.guides import sheet_guides
from sync.ports import SheetValues, SheetWrite

DROPDOWN_MARK = "backbone.status-dropdown"
PROTECTION = "backbone: written by the sync; a change here is kept but reported as a conflict"


def _runs(columns: tuple[int, ...]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for col in columns:
        if runs and runs[-1][1] == col:
            runs[-1] = (runs[-1][0], col + 1)
        else:
            runs.append((col, col + 1))
    return runs


def guide_requests(metadata: dict[str, Any], tabs: dict[str, dict[str, int]], values: SheetValues,
                   write: SheetWrite, new_ids: dict[str, int] | None = None) -> list[dict[str, Any]]:
    sheets = {s["properties"]["title"]: s for s in metadata.get("sheets", [])}
    out: list[dict[str, Any]] = []
    for guide in sheet_guides(values, write):
        sheet = sheets.get(guide.title, {"properties": {}})
        sheet_id = tabs.get(guide.title, {}).get("sheetId", (new_ids or {}).get(guide.title))
        if sheet_id is None:
            continue
        grid = sheet["properties"].get("gridProperties", {})
        if not grid.get("frozenRowCount"):
            out.append({"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                                                  "fields": "gridProperties.frozenRowCount"}})
        covered: set[int] = set()  # sync-owned columns some protected range already spans (a person's or ours)
        for protected in sheet.get("protectedRanges", []):
            rng = protected.get("range", {})
            start, end = rng.get("startColumnIndex", 0), rng.get("endColumnIndex")  # no end: to the last column
            covered.update(c for c in guide.synced_columns if c >= start and (end is None or c < end))
        for start, end in _runs(tuple(c for c in guide.synced_columns if c not in covered)):
            out.append({"addProtectedRange": {"protectedRange": {
                "range": {"sheetId": sheet_id, "startColumnIndex": start, "endColumnIndex": end},
                "description": PROTECTION, "warningOnly": True}}})
        marks = {m.get("metadataKey") for m in sheet.get("developerMetadata", [])}
        if guide.status_column is not None and DROPDOWN_MARK not in marks:
            out.append({"setDataValidation": {
                "range": {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": guide.status_column,
                          "endColumnIndex": guide.status_column + 1},
                "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": v} for v in guide.status_choices]},
                         "strict": False, "showCustomUi": True}}})
            out.append({"createDeveloperMetadata": {"developerMetadata": {
                "metadataKey": DROPDOWN_MARK, "metadataValue": str(guide.status_column),
                "location": {"sheetId": sheet_id}, "visibility": "DOCUMENT"}}})
    return out
