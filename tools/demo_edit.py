#!/usr/bin/env python3
"""What a coordinator does between two follow-ups, for `make demo`: set a Status in the planning workbook.

    python tools/demo_edit.py PLAN.xlsx [ACTION_ID [STATUS]]

Finds the action by its ID (as backbone does, never by position) in the Åtgärder tab and sets its
Status (default: ci4-1 becomes Klar), so the next follow-up report shows a status change.
"""
from __future__ import annotations

import sys

from openpyxl import load_workbook


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    path, action_id, status = argv[0], (argv[1:2] or ["ci4-1"])[0], (argv[2:3] or ["Klar"])[0]
    book = load_workbook(path)
    sheet = book["Åtgärder"]
    header = [cell.value for cell in sheet[1]]
    id_col, status_col = header.index("ID"), header.index("Status")
    for row in sheet.iter_rows(min_row=2):
        if str(row[id_col].value or "").strip() == action_id:
            old = row[status_col].value or "–"
            row[status_col].value = status
            book.save(path)
            print(_said(path, action_id, old, status))
            return 0
    print(f"{path}: no action {action_id} in the Åtgärder tab", file=sys.stderr)
    return 2


def _said(path: str, action_id: str, old: str, status: str) -> str:
    """The line in the demo's language (tools/demo_say.py chooses it as backbone does)."""
    from pathlib import Path

    from demo_say import language  # beside this file
    if language(Path(path).parent) == "en":
        return f"{path}: Status of {action_id} changed from {old} to {status}"
    return f"{path}: Status för {action_id} ändrades från {old} till {status}"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
