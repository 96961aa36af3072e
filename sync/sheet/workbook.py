"""The local .xlsx workbook backend (openpyxl): the embedded default.

Read once, then write the whole plan in one save to a temporary file renamed over the original,
so the workbook is never left half-written. Right before the rename the file is compared with what was
read (size, mtime, content hash): a save that landed meanwhile (Excel, LibreOffice, a Dropbox client)
raises SheetChanged and the run reads and plans again. A symlinked workbook is written through to its
target. Text is stored as text: openpyxl would otherwise turn a string starting with "=" into a formula.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

from lxml.etree import SerialisationError
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import ConfigError, InputError, ServiceError
from ..i18n import _
from ..ports import SheetBackend, SheetChanged, SheetValues, SheetWrite
from .guides import sheet_guides
from .stats import SheetStats
from .tabs import WORKSHOPS, find_tab
from .xlsx_read import UNREADABLE, load_book, read_with_calamine, read_with_openpyxl, unkept_line, unreadable

log = logging.getLogger(__name__)

# What saving can raise besides OSError: lxml's serialiser reports a failed write (a full disk) as its own error.
UNWRITABLE = (OSError, SerialisationError)


def _reading(method):
    """The workbook's cells are parsed as they are read: a damaged part fails there, not at opening."""
    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREADABLE as exc:
            raise unreadable(self.path, exc) from None
    return read


STALE_AFTER = 60.0  # seconds: an older temporary file beside the workbook is a killed run's, never a live writer's


Fingerprint = tuple[int, int, str]  # size, mtime_ns, sha256 of the bytes


class WorkbookSheet(SheetBackend):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(self.path)
        self.stats = SheetStats()
        self._read_print: Fingerprint | None = None
        self._read_values: SheetValues = {}
        self._unkept: list[str] = []  # Excel features the last load for writing cannot keep (UNKEPT)

    @property
    def target(self) -> Path:
        """The real file: a symlinked workbook is written through to what it points at."""
        return self.path.resolve()

    def _bytes(self) -> tuple[bytes, Fingerprint]:
        if not self.path.is_file():
            raise ConfigError(_("{path}: the workbook does not exist; make it with `backbone init`, or check BACKBONE_SHEET "
                                "(xlsx:PATH)").format(path=self.path))
        try:
            with open(self.target, "rb") as handle:
                info = os.fstat(handle.fileno())
                data = handle.read()
        except PermissionError:
            raise InputError(_("{path}: permission denied; check the file's owner and rights").format(path=self.path)) from None
        return data, (info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def fingerprint(self) -> Fingerprint | None:
        """Size, mtime and content hash of the file now (None when unreadable): what tells a change."""
        return self._fingerprint()

    def _fingerprint(self) -> Fingerprint | None:
        try:
            return self._bytes()[1]
        except (ConfigError, InputError, OSError):
            return None

    def _load(self, data: bytes, read_only: bool):
        book, self._unkept = load_book(self.path, data, read_only=read_only)
        return book

    @_reading
    def read(self) -> SheetValues:
        data, self._read_print = self._bytes()
        values = read_with_calamine(data)
        if values is None:
            values = read_with_openpyxl(self.path, data)
        self.stats.reads += 1
        self._read_values = values
        return values

    def read_workshops(self) -> SheetValues:
        """The Workshops tab alone, without converting every other tab (the run reads them all next)."""
        values = read_with_calamine(self._bytes()[0], lambda titles: find_tab(WORKSHOPS, titles))
        return super().read_workshops() if values is None else values

    def _lock_file(self) -> Path | None:
        """Excel (~$name) and LibreOffice (.~lock.name#) leave these beside a workbook they have open."""
        for folder, name in {(p.parent, p.name) for p in (self.path, self.target)}:
            for lock in (f"~${name}", f".~lock.{name}#"):
                if (folder / lock).exists():
                    return folder / lock
        return None

    def apply(self, write: SheetWrite) -> None:
        if write.is_empty():
            return
        lock = self._lock_file()
        if lock is not None:
            raise InputError(_("{path}: the workbook is open in Excel or LibreOffice ({lock}); close it and run again").format(
                path=self.path, lock=lock.name))
        self._remove_stale_temporaries()
        data, now = self._bytes()
        if self._read_print is not None and now != self._read_print:
            raise SheetChanged(str(self.path))
        book = self._load(data, read_only=False)  # refuses a book that lost a tab (xlsx_read.load_book)
        for title in write.new_tabs:
            book.create_sheet(title)
        for change in write.cells:
            cell = book[change.tab].cell(row=change.row + 1, column=change.col + 1)
            cell.value = change.value
            if isinstance(change.value, str):
                cell.data_type = "s"  # text stays text, even "=HYPERLINK(...)"
        self._add_guides(book, write)
        self._save_and_swap(book)
        if self._unkept:
            self.warn(unkept_line(self.path, self._unkept))
        self.stats.writes += 1
        self.stats.cells_written += len(write.cells)
        self._read_print = self._fingerprint()

    def _add_guides(self, book, write: SheetWrite) -> None:
        """A frozen header row and the Status dropdown, each only where missing."""
        for guide in sheet_guides(self._read_values, write):
            sheet = book[guide.title]
            if sheet.freeze_panes is None:
                sheet.freeze_panes = "A2"
            if guide.status_column is None:
                continue
            letter = get_column_letter(guide.status_column + 1)
            if any(letter in str(dv.sqref) for dv in sheet.data_validations.dataValidation):
                continue
            choices = [c for c in guide.status_choices if "," not in c and '"' not in c]
            listed = '"' + ",".join(choices) + '"'
            if len(listed) > 255:  # Excel's limit for a list typed into the rule
                continue
            rule = DataValidation(type="list", formula1=listed, allow_blank=True, showDropDown=False)
            rule.add(f"{letter}2:{letter}1048576")
            sheet.add_data_validation(rule)

    def _temporaries(self) -> list[Path]:
        target = self.target
        return list(target.parent.glob(f".{target.name[:40]}.*.tmp"))

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of runs killed mid-save (kill -9, power loss) would otherwise stay forever."""
        limit = time.time() - STALE_AFTER
        for path in self._temporaries():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass  # gone meanwhile, or not ours to remove

    def _save_and_swap(self, book) -> None:
        """Save beside the real file, then rename over it only if it is still what was read."""
        target = self.target
        keep = target.stat().st_mode & 0o777
        handle, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        temporary = Path(name)
        try:
            _save(book, temporary)
            os.chmod(temporary, keep)
            with open(temporary, "rb+") as written:
                os.fsync(written.fileno())
            if self._fingerprint() != self._read_print:  # compare-and-swap: a save landed during ours
                raise SheetChanged(str(self.path))
            _swap(temporary, target)
        except UNWRITABLE as exc:
            log.warning("saving %s failed: %s", self.path, getattr(exc, "strerror", None) or type(exc).__name__)
            raise ServiceError(_("{path}: could not save the workbook (the disk may be full, or the folder not "
                                 "writable); it is unchanged").format(path=self.path)) from None
        finally:
            temporary.unlink(missing_ok=True)


def _save(book, path: Path) -> None:
    book.save(path)


def _swap(temporary: Path, target: Path) -> None:
    os.replace(temporary, target)
