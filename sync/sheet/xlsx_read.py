"""A workbook's bytes as the cells people typed: calamine (Rust, several times faster) where it reads them right,
openpyxl where it does not (a person's formula, an error cell); and what openpyxl says as it loads: a tab it would
leave out, an Excel feature its save would remove.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import threading
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import python_calamine
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import InputError
from ..i18n import _
from ..ports import SheetValues

# What a damaged workbook raises from openpyxl, zipfile and the XML parsers while it is read: truncated XML inside a
# valid zip (ParseError and lxml's XMLSyntaxError are SyntaxErrors), a damaged deflate stream, attributes of the
# wrong type or a reference to a part that is not there.
UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, IndexError, AttributeError,
              SyntaxError, zlib.error, EOFError, OSError)


def unreadable(path: Path, exc: BaseException) -> InputError:
    return InputError(_("{path}: not a readable .xlsx workbook ({kind}); open it in Excel or LibreOffice and "
                        "save it as .xlsx").format(path=path, kind=type(exc).__name__))


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s")  # a tab's entry in xl/workbook.xml (<sheet name=… r:id=…/>)
_WARNINGS = threading.Lock()  # catch_warnings swaps global state: one thread at a time
# openpyxl's warning as it loads an Excel feature it cannot write back ("Data Validation extension is not supported
# and will be removed"). openpyxl only reads here (the writer works in place, xlsx_write.py): nothing is removed.
UNKEPT = re.compile(r"^(.+?) extension is not supported and will be removed")


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


def trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Trailing empty cells and rows dropped, as Google Sheets does, so both backends read alike."""
    out = []
    for row in rows:
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def load_book(path: Path, data: bytes, *, read_only: bool):
    """(openpyxl's book, the Excel features it would not keep). A tab workbook.xml declares that openpyxl leaves
    out (a damaged entry: it only warns) is refused here: its cells would read as a tab people deleted.
    Counted from the file itself, not from the warning, which another thread may catch."""
    try:
        with _WARNINGS, warnings.catch_warnings(record=True) as said:  # the warnings module's state is global
            warnings.simplefilter("always")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only)
        declared = _declared_tabs(data)
    except UNREADABLE as exc:
        raise unreadable(path, exc) from None
    if declared is not None and len(book.sheetnames) < declared:
        raise InputError(_("{path}: a tab of the workbook cannot be opened (a damaged part of the file); "
                           "nothing was written: open the workbook in Excel or LibreOffice and save it as "
                           ".xlsx").format(path=path))
    unkept = sorted({found.group(1) for w in said if (found := UNKEPT.match(str(w.message)))})
    for warning in said:
        if not UNKEPT.match(str(warning.message)):  # openpyxl only reads: nothing it warns of is removed
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return book, unkept


def _declared_tabs(data: bytes) -> int | None:
    """How many tabs xl/workbook.xml lists (None when the workbook part lives elsewhere)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            return None
        return len(_SHEET_ENTRY.findall(archive.read("xl/workbook.xml")))


def read_with_openpyxl(path: Path, data: bytes) -> SheetValues:
    """Every worksheet's cells as a person typed them (a formula as its text), read by openpyxl."""
    book, _unkept = load_book(path, data, read_only=True)
    values = {}
    try:
        with _WARNINGS, warnings.catch_warnings():  # read-only sheets parse as they are iterated: what a save removes is
            warnings.filterwarnings("ignore", message=UNKEPT.pattern[1:])  # said by the writer, not each read
            for title in book.sheetnames:  # every tab: a renamed one is found again by its content
                sheet = book[title]
                if not hasattr(sheet, "reset_dimensions"):
                    continue  # a chart sheet holds no cells
                sheet.reset_dimensions()  # files saved by other tools may declare a wrong size
                values[title] = trimmed([[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)])
    finally:
        book.close()
    return values


# A formula (<f>) or an error cell (t="e") in any sheet's XML, whatever the namespace prefix.
_NOT_PLAIN_VALUES = re.compile(rb'<(?:\w+:)?f[ >/]|\st="e"')
# Excel's extensions (after the cells, e.g. a drop-down list's source <xm:f>) hold no cell's value.
_EXTENSIONS = re.compile(rb"<(?:\w+:)?extLst[ >]")


def read_with_calamine(data: bytes, choose: Callable[[list[str]], str | None] | None = None) -> SheetValues | None:
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
            return {title: trimmed([[v if v.__class__ is str else cell_text(v) for v in row]  # most cells are text
                                     for row in book.get_sheet_by_name(title).to_python(skip_empty_area=False)])
                    for title in titles}
        finally:
            book.close()
    except (*UNREADABLE, python_calamine.CalamineError):  # a bad deflate stream is zlib.error, not BadZipFile
        return None  # openpyxl reads it, or names the problem
