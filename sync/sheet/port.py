"""The port every sheet backend implements: read all tabs in one go, apply a whole plan in one go."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

CellValue = str | int | float

# A read sheet: tab title -> rows (row 0 is the header), every cell a str ("" when empty),
# rows padded to no particular width (trailing empty cells may be missing, as Google trims them).
SheetValues = dict[str, list[list[str]]]


@dataclass(frozen=True)
class CellWrite:
    tab: str  # exact tab title
    row: int  # 0-based; row 0 is the header; may lie past the last row (the grid grows)
    col: int  # 0-based
    value: CellValue  # written as a plain value: text stays text, never a formula or a date


@dataclass(frozen=True)
class SheetWrite:
    """Everything one sync writes. Backends apply it atomically as far as the service allows."""

    new_tabs: tuple[str, ...] = ()
    cells: tuple[CellWrite, ...] = ()

    def is_empty(self) -> bool:
        return not self.new_tabs and not self.cells


@dataclass
class SheetStats:
    """Request counters, for run summaries and benchmarks."""

    reads: int = 0
    writes: int = 0
    cells_written: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class SheetChanged(Exception):
    """The sheet changed between the read and the moment of writing, and the backend wrote nothing:
    read again, plan again (the workbook's compare-and-swap raises it)."""


class SheetBackend(ABC):
    """A shared planning sheet: Google Sheets or a local .xlsx workbook."""

    name: str  # for messages: a file path or a spreadsheet title/key
    stats: SheetStats

    @abstractmethod
    def read(self) -> SheetValues:
        """Every tab's values, in one request where the service allows."""

    def read_workshops(self) -> SheetValues:
        """The Workshops tab alone (to know the boards before the read that plans the write); backends
        fold it into a request they make anyway where they can."""
        from .tabs import WORKSHOPS, find_tab

        values = self.read()
        title = find_tab(WORKSHOPS, list(values))
        return {title: values[title]} if title else {}

    @abstractmethod
    def apply(self, write: SheetWrite) -> None:
        """Create the new tabs and write the cells, all or nothing where the service allows.

        Each cell must land in the row of the ID it was planned for, whatever people did since the read:
        a backend either checks before it writes (raising SheetChanged, nothing written) or checks what it
        wrote and repairs in the same call. `warnings` (below) tells the run what it could not repair."""

    def take_warnings(self) -> list[str]:
        """What the last apply() could not put right (said in the run's warnings)."""
        warnings: list[str] = getattr(self, "_warnings", [])
        self._warnings: list[str] = []
        return warnings

    def warn(self, line: str) -> None:
        self._warnings = [*getattr(self, "_warnings", []), line]
