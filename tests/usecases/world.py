"""A small world for use-case tests: a planning sheet, boards and a state store, all in memory (tests/fakes/), and a
clock that moves a day per sync. No file, no database, no process."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sync.core.board_export import BoardExport
from sync.core.run_result import RunResult
from sync.usecases.sync_run import SheetWait, run_sync
from tests.fakes.in_memory import InMemoryBoards, InMemoryState
from tests.fakes.memory_sheet import MemorySheet
from tests.unit.boards import area, sticky

SHEET_ID = "memory:plan"
IDEAS = "Idéer"


def board(mural_id: str, notes: dict[str, str], *, exercise: str = "Utmaningar", authors: dict[str, dict] | None = None,
          title: str = "", actions: dict[str, tuple[str, list[str]]] | None = None) -> BoardExport:
    """A board with one exercise area holding a sticky note per (widget id, text), in that order, and below them a
    titled group per prioritised action: action id -> (its title, its stickies' texts, e.g. "HUR: ...")."""
    widgets: list[dict[str, Any]] = [area(exercise, 0, 0, 4000, 2000, id=f"{mural_id}-area")]
    for number, (note_id, text) in enumerate(notes.items()):
        extra = {"createdBy": authors[note_id]} if authors and note_id in authors else {}
        widgets.append(sticky(text, 100 + 150 * number, 100, parent=f"{mural_id}-area", id=note_id, **extra))
    for number, (action_id, (action_title, texts)) in enumerate((actions or {}).items()):
        x = 100 + 700 * number
        widgets.append(area(action_title, x, 600, 600, 600, parent=f"{mural_id}-area", id=action_id))
        widgets.extend(sticky(text, x + 50 + 150 * i, 700, parent=action_id, id=f"{action_id}-{i}")
                       for i, text in enumerate(texts))
    return BoardExport(mural_id, tuple(widgets), title)


class World:
    def __init__(self, workshops: list[list[str]] | None = None, **boards: dict[str, str]) -> None:
        rows = workshops if workshops is not None else [["ci2", "CI 2", "ws.2"]]
        self.sheet = MemorySheet({"Workshops": [["ID", "Titel", "Mural"], *rows]})
        self.boards = InMemoryBoards({ref.replace("_", "."): board(ref.replace("_", "."), notes)
                                      for ref, notes in boards.items()})
        self.state = InMemoryState()
        self.day = 3
        self.progress: list[str] = []
        self.slept: list[float] = []

    def clock(self) -> dt.datetime:
        return dt.datetime(2021, 5, self.day, 0, 30, tzinfo=dt.UTC)

    def set_board(self, ref: str, notes: dict[str, str], **kwargs: Any) -> None:
        self.boards.boards[ref] = board(ref, notes, **kwargs)

    def sync(self, *, dry_run: bool = False, only: str | None = None, wait: SheetWait | None = None,
             authors: str = "none") -> RunResult:
        self.day += 1
        return run_sync(self.sheet, self.boards, self.state, sheet_id=SHEET_ID, clock=self.clock,
                        tz=dt.timezone(dt.timedelta(hours=2)), dry_run=dry_run, only=only,
                        progress=lambda line: self.progress.append(str(line)), hide=self.state.suppression,
                        wait=wait, authors=authors)

    def texts(self) -> dict[str, str]:
        """Idéer as ID -> Text."""
        return {r["ID"]: r["Text"] for r in self.sheet.records(IDEAS)}
