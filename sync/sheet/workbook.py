"""The local .xlsx workbook backend (openpyxl): the embedded default.

Read once, then write the whole plan in one save to a temporary file renamed over the original,
so the workbook is never left half-written. Text is stored as text: openpyxl would otherwise turn
a string starting with "=" into a formula.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import ConfigError, InputError, ServiceError
from ..files import replaced_atomically
from .port import SheetBackend, SheetStats, SheetValues, SheetWrite
from .tabs import ALL_TABS, find_tab


def cell_text(value: object) -> str:
    """A cell as people read it: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Trailing empty cells and rows dropped, as Google Sheets does, so both backends read alike."""
    out = []
    for row in rows:
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


class WorkbookSheet(SheetBackend):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(self.path)
        self.stats = SheetStats()
        self._read_stamp: tuple[int, int] | None = None

    def _stamp(self) -> tuple[int, int]:
        info = self.path.stat()
        return info.st_mtime_ns, info.st_size

    def _open(self, read_only: bool):
        if not self.path.is_file():
            raise ConfigError(f"{self.path}: workbook not found; check BACKBONE_SHEET (xlsx:PATH)")
        try:
            return openpyxl.load_workbook(self.path, read_only=read_only)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
            raise InputError(f"{self.path}: not a readable .xlsx workbook ({type(exc).__name__}); "
                             "open it in Excel or LibreOffice and save it as .xlsx") from None
        except PermissionError:
            raise InputError(f"{self.path}: permission denied; check the file's owner and rights") from None

    def read(self) -> SheetValues:
        self._read_stamp = self._stamp()
        book = self._open(read_only=True)
        try:
            wanted = {find_tab(schema, book.sheetnames) for schema in ALL_TABS} - {None}
            values = {}
            for title in book.sheetnames:
                if title in wanted:
                    sheet = book[title]
                    sheet.reset_dimensions()  # files saved by other tools may declare a wrong size
                    rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
                    values[title] = _trimmed(rows)
        finally:
            book.close()
        self.stats.reads += 1
        return values

    def _lock_file(self) -> Path | None:
        """Excel (~$name) and LibreOffice (.~lock.name#) leave these beside a workbook they have open."""
        for name in (f"~${self.path.name}", f".~lock.{self.path.name}#"):
            if (self.path.parent / name).exists():
                return self.path.parent / name
        return None

    def apply(self, write: SheetWrite) -> None:
        if write.is_empty():
            return
        lock = self._lock_file()
        if lock is not None:
            raise InputError(f"{self.path}: the workbook is open in Excel or LibreOffice ({lock.name}); close it and run again")
        if self._read_stamp is not None and self._stamp() != self._read_stamp:
            raise ServiceError(f"{self.path}: the workbook changed while syncing; nothing was written, run the sync again")
        book = self._open(read_only=False)
        for title in write.new_tabs:
            book.create_sheet(title)
        for change in write.cells:
            cell = book[change.tab].cell(row=change.row + 1, column=change.col + 1)
            cell.value = change.value
            if isinstance(change.value, str):
                cell.data_type = "s"  # text stays text, even "=HYPERLINK(...)"
        self._save_atomically(book)
        self.stats.writes += 1
        self.stats.cells_written += len(write.cells)
        self._read_stamp = self._stamp()

    def _save_atomically(self, book) -> None:
        try:
            with replaced_atomically(self.path) as temporary:
                book.save(temporary)
        except OSError as exc:
            raise ServiceError(f"{self.path}: could not save the workbook ({exc.strerror}); it is unchanged") from None
