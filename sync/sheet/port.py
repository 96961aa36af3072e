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


class SheetBackend(ABC):
    """A shared planning sheet: Google Sheets or a local .xlsx workbook."""

    name: str  # for messages: a file path or a spreadsheet title/key
    stats: SheetStats

    @abstractmethod
    def read(self) -> SheetValues:
        """Every tab's values, in one request where the service allows."""

    @abstractmethod
    def apply(self, write: SheetWrite) -> None:
        """Create the new tabs and write the cells, all or nothing where the service allows."""
