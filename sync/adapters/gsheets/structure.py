"""The structural part of a write: new tabs (with our own sheetId, so their guides go in the same batch) and
grids grown to fit the cells; and keeping the cached tabs true after the batch. A mixin of GoogleSheet."""
from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from sync.ports import SheetWrite

NEW_TAB_GRID = (1000, 26)  # what Google gives a tab made in the UI
ROW_HEADROOM = 100  # rows added beyond the need when a grid grows, so the next syncs' new rows fit without a resize


class StructureRequests:
    key: str
    _tabs: dict[str, dict[str, int]]

    # GoogleSheet's, which knows the tabs it read.
    _existing: Callable[[str], str | None]
    _titles_for: Callable[[SheetWrite], dict[str, str]]

    def _structure_requests(self, write: SheetWrite) -> list[dict[str, Any]]:
        """addSheet for missing tabs, updateSheetProperties for grids too small for the cells."""
        titles = self._titles_for(write)
        need: dict[str, tuple[int, int]] = {}
        for cell in write.cells:
            rows, cols = need.get(titles[cell.tab], (0, 0))
            need[titles[cell.tab]] = (max(rows, cell.row + 1), max(cols, cell.col + 1))
        requests_: list[dict[str, Any]] = []
        for title in dict.fromkeys(write.new_tabs):
            if self._existing(title) is None:
                rows, cols = need.get(title, (0, 0))
                grid = {"rowCount": max(NEW_TAB_GRID[0], rows), "columnCount": max(NEW_TAB_GRID[1], cols)}
                # Our own sheetId, so the new tab's guides go in the same batch.
                sheet_id = 1 + zlib.crc32(f"{self.key}/{title}".encode()) % (2**31 - 2)
                taken = {t["sheetId"] for t in self._tabs.values()}
                while sheet_id in taken:
                    sheet_id += 1
                requests_.append({"addSheet": {"properties": {"title": title, "sheetId": sheet_id, "sheetType": "GRID",
                                                              "gridProperties": grid}}})
        for title, (rows, cols) in need.items():
            tab = self._tabs.get(title)
            if tab is None or (rows <= tab["rowCount"] and cols <= tab["columnCount"]):
                continue
            # Absolute sizes (not appendDimension) so that a retried request cannot grow the grid twice.
            grid, fields = {}, []
            if rows > tab["rowCount"]:
                grid["rowCount"] = rows + ROW_HEADROOM
                fields.append("gridProperties/rowCount")
            if cols > tab["columnCount"]:
                grid["columnCount"] = cols
                fields.append("gridProperties/columnCount")
            requests_.append({"updateSheetProperties": {"properties": {"sheetId": tab["sheetId"], "gridProperties": grid},
                                                        "fields": ",".join(fields)}})
        return requests_

    def _remember(self, requests_: list[dict[str, Any]], reply: dict[str, Any]) -> None:
        """Keep the cached tabs and grids true after a structural batch."""
        for request, answer in zip(requests_, reply.get("replies", [])):
            if "addSheet" in request:
                props = (answer.get("addSheet") or {}).get("properties") or request["addSheet"]["properties"]
                grid = props.get("gridProperties", {})
                self._tabs[props["title"]] = {"sheetId": props.get("sheetId"), "rowCount": grid.get("rowCount", 0),
                                              "columnCount": grid.get("columnCount", 0)}
            elif "updateSheetProperties" in request:
                props = request["updateSheetProperties"]["properties"]
                tab = next(t for t in self._tabs.values() if t["sheetId"] == props["sheetId"])
                tab.update(props["gridProperties"])
