#!/usr/bin/env python3
"""Writes the expected outline of the bundled example board from the CURRENT board normaliser.

    .venv/bin/python tools/board_expected.py

Writes tests/data/boards/biskopsgarden.expected.json: what `backbone board --json` makes of
examples/biskopsgarden/boards/biskopsgarden2021.1620111600000.json, cut down to what a coordinator reads
(titles, descriptions, note texts and authors, actions, unsorted notes, Swedish warnings).

tests/unit/test_example_data.py compares the normaliser to the committed file and never writes it. Run this
only on purpose, after a deliberate change to the board rules; then read `git diff` against the published
recap (examples/biskopsgarden/recap-ci2.sv.txt: every group, bullet and HUR/NÄR/VEM) before committing.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOARD = REPO / "examples" / "biskopsgarden" / "boards" / "biskopsgarden2021.1620111600000.json"
EXPECTED = REPO / "tests" / "data" / "boards" / "biskopsgarden.expected.json"
COMMENT = [
    "What the board normaliser makes of the bundled example board, as a coordinator reads it.",
    "Written by tools/board_expected.py from the normaliser and checked by eye against examples/biskopsgarden/recap-ci2.sv.txt;",
    "tests/unit/test_example_data.py compares the normaliser to this file. Regenerate only on purpose, then review the diff.",
]


def outline(board_file: Path = BOARD) -> dict:
    """The board as `backbone board --json` gives it, without ids, colours and timestamps."""
    if str(REPO) not in sys.path:  # run as a script from anywhere, or loaded by the test
        sys.path.insert(0, str(REPO))
    from sync.adapters.mural.export_files import load_export_file
    from sync.core import i18n
    from sync.core.board import board_from_export

    with i18n.speaking("sv"):  # the example is Swedish, and so are its warnings
        board = board_from_export(load_export_file(board_file))
    return {
        "title": board.title,
        "exercises": [{"title": e.title, "groups": [{"title": g.title, "description": g.description,
                                                     "notes": [{"text": n.text, "author": n.author} for n in g.notes]}
                                                    for g in e.groups]}
                      for e in board.exercises],
        "actions": [{"title": a.title, "exercise": a.exercise, "how": a.how, "when": a.when, "who": a.who} for a in board.actions],
        "unsorted": [{"text": n.text, "author": n.author} for n in board.unsorted],
        "warnings": list(board.warnings),
    }


def main() -> int:
    EXPECTED.write_text(json.dumps({"comment": COMMENT, **outline()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED.relative_to(REPO)}: review `git diff` against the recap before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
