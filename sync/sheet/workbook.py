"""The local .xlsx workbook backend (openpyxl): the embedded default.

Read once, then write the whole plan in one save to a temporary file renamed over the original,
so the workbook is never left half-written. Right before the rename the file is compared with what was
read (size, mtime, content hash): a save that landed meanwhile (Excel, LibreOffice, a Dropbox client)
raises SheetChanged and the run reads and plans again. A symlinked workbook is written through to its
target. Text is stored as text: openpyxl would otherwise turn a string starting with "=" into a formula.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import os
import re
import tempfile
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import python_calamine
from lxml.etree import SerialisationError
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import ConfigError, InputError, ServiceError
from ..i18n import N_, _
from ..ports import SheetBackend, SheetChanged, SheetValues, SheetWrite
from .guides import sheet_guides
from .stats import SheetStats
from .tabs import WORKSHOPS, find_tab

log = logging.getLogger(__name__)

# What a damaged workbook raises from openpyxl, zipfile and the XML parsers while it is read: truncated XML inside a
# valid zip (ParseError and lxml's XMLSyntaxError are SyntaxErrors), a damaged deflate stream, attributes of the
# wrong type or a reference to a part that is not there.
UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, IndexError, AttributeError,
              SyntaxError, zlib.error, EOFError, OSError)
# What saving can raise besides OSError: lxml's serialiser reports a failed write (a full disk) as its own error.
UNWRITABLE = (OSError, SerialisationError)


def _unreadable(path: Path, exc: BaseException) -> InputError:
    return InputError(_("{path}: not a readable .xlsx workbook ({kind}); open it in Excel or LibreOffice and "
                        "save it as .xlsx").format(path=path, kind=type(exc).__name__))


def _reading(method):
    """The workbook's cells are parsed as they are read: a damaged part fails there, not at opening."""
    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREADABLE as exc:
            raise _unreadable(self.path, exc) from None
    return read


DROPPED_TAB = "File contains an invalid specification for"  # openpyxl's warning as it leaves a sheet out
# openpyxl's warning as it loads an Excel feature it cannot write back ("Data Validation extension is not supported
# and will be removed"): the save that follows removes it, so the person is told after each such save.
UNKEPT = re.compile(r"^(.+?) extension is not supported and will be removed")
UNKEPT_NAMES = {"Data Validation": N_("drop-down lists and other data validation"),
                "Conditional Formatting": N_("conditional formatting"), "Slicer List": N_("slicers")}
STALE_AFTER = 60.0  # seconds: an older temporary file beside the workbook is a killed run's, never a live writer's


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
            raise ConfigError(_("{path}: workbook not found; check BACKBONE_SHEET (xlsx:PATH)").format(path=self.path))
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
        try:
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                book = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only)
        except UNREADABLE as exc:
            raise _unreadable(self.path, exc) from None
        self._unkept = sorted({found.group(1) for w in said if (found := UNKEPT.match(str(w.message)))})
        for warning in said:  # a tab whose entry in workbook.xml is damaged: openpyxl leaves it out, and saving
            # the book would delete it with people's work in it. Writing compares with calamine's read instead
            # (_same_tabs_as_read); a read by openpyxl has nothing to compare with but this warning.
            if read_only and str(warning.message).startswith(DROPPED_TAB):
                raise InputError(_("{path}: a tab of the workbook cannot be opened (a damaged part of the file); "
                                   "nothing was written: open the workbook in Excel or LibreOffice and save it as "
                                   ".xlsx").format(path=self.path))
            if not UNKEPT.match(str(warning.message)):
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        return book

    def _same_tabs_as_read(self, book) -> None:
        """The tabs the sync read (calamine) are all in the book openpyxl will save: a tab one reader sees and the
        other drops would be deleted by the save (found by the fuzz test: a damaged relationship in workbook.xml)."""
        lost = [title for title in self._read_values if title not in book.sheetnames]
        if lost:
            raise InputError(_("{path}: the tab {tab} cannot be opened for writing (a damaged part of the file); "
                               "nothing was written: open the workbook in Excel or LibreOffice and save it as .xlsx")
                             .format(path=self.path, tab=lost[0]))

    @_reading
    def read(self) -> SheetValues:
        data, self._read_print = self._bytes()
        values = _read_with_calamine(data)
        if values is None:
            values = self._read_with_openpyxl(data)
        self.stats.reads += 1
        self._read_values = values
        return values

    def read_workshops(self) -> SheetValues:
        """The Workshops tab alone, without converting every other tab (the run reads them all next)."""
        values = _read_with_calamine(self._bytes()[0], lambda titles: find_tab(WORKSHOPS, titles))
        return super().read_workshops() if values is None else values

    def _read_with_openpyxl(self, data: bytes) -> SheetValues:
        book = self._load(data, read_only=True)
        values = {}
        try:
            with warnings.catch_warnings():  # read-only sheets parse as they are iterated: what a save removes is
                warnings.filterwarnings("ignore", message=UNKEPT.pattern[1:])  # said by the writer, not each read
                for title in book.sheetnames:  # every tab: a renamed one is found again by its content
                    sheet = book[title]
                    if not hasattr(sheet, "reset_dimensions"):
                        continue  # a chart sheet holds no cells
                    sheet.reset_dimensions()  # files saved by other tools may declare a wrong size
                    values[title] = _trimmed([[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)])
        finally:
            book.close()
        return values

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
        book = self._load(data, read_only=False)
        self._same_tabs_as_read(book)
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
            self.warn(_("{path}: the workbook's {features} (made in Excel) cannot be kept by backbone's .xlsx writer, "
                        "and each sync removes them; keep the plan in Google Sheets (BACKBONE_SHEET=gsheet:KEY) to "
                        "use them").format(path=self.path, features=", ".join(
                            _(UNKEPT_NAMES[name]) if name in UNKEPT_NAMES else name for name in self._unkept)))
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


# A formula (<f>) or an error cell (t="e") in any sheet's XML, whatever the namespace prefix.
_NOT_PLAIN_VALUES = re.compile(rb'<(?:\w+:)?f[ >/]|\st="e"')
# Excel's extensions (after the cells, e.g. a drop-down list's source <xm:f>) hold no cell's value.
_EXTENSIONS = re.compile(rb"<(?:\w+:)?extLst[ >]")


def _read_with_calamine(data: bytes, choose: Callable[[list[str]], str | None] | None = None) -> SheetValues | None:
    """Every worksheet's cells as text, read by calamine (Rust; several times faster than openpyxl);
    None when openpyxl must read the file. Calamine gives a formula's cached value, which a workbook
    saved by openpyxl (as ours are) does not hold, and error cells as "": those workbooks, and any file
    calamine cannot read, go through openpyxl, which reads what a person typed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if any(_NOT_PLAIN_VALUES.search(_EXTENSIONS.split(archive.read(name), 1)[0]) for name in sheets):
                return None
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            titles = [meta.name for meta in book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
            if choose is not None:
                chosen = choose(titles)
                titles = [chosen] if chosen else []
            return {title: _trimmed([[v if v.__class__ is str else cell_text(v) for v in row]  # most cells are text
                                     for row in book.get_sheet_by_name(title).to_python(skip_empty_area=False)])
                    for title in titles}
        finally:
            book.close()
    except (*UNREADABLE, python_calamine.CalamineError):  # a bad deflate stream is zlib.error, not BadZipFile
        return None  # openpyxl reads it, or names the problem


def _save(book, path: Path) -> None:
    book.save(path)


def _swap(temporary: Path, target: Path) -> None:
    os.replace(temporary, target)
