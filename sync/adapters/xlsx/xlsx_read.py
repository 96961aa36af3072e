"""A workbook's bytes as the cells people typed: calamine (Rust, several times faster) where it reads them right,
openpyxl where it does not (a person's formula, an error cell); and what openpyxl says as it loads: a tab it would
leave out, an Excel feature its save would remove.
"""
from __future__ import annotations

import datetime as dt
import io
import posixpath
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

from sync.core.errors import InputError
from sync.core.i18n import _
from sync.core.sheet.cell_refs import column_index, column_letter
from sync.ports import SheetValues

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


# A formula (<f>, <x:f>) or an error cell (t="e") in a sheet's XML: patterns that start with a literal, which re
# finds fast (one alternation over a 12 MB tab took 0.3 s). A false hit only costs a look at the tab's XML.
_NOT_PLAIN_VALUES = (re.compile(rb"<f[ >/]"), re.compile(rb":f[ >/]"), re.compile(rb't="e"'))
# Excel's extensions (after the cells, e.g. a drop-down list's source <xm:f>) hold no cell's value.
_EXTENSIONS = re.compile(rb"<(?:\w+:)?extLst[ >]")


def _typed_values(xml: bytes) -> bool:
    """Does the sheet hold a formula or an error cell before its extensions?"""
    end = xml.find(b"<extLst")
    if end < 0 and b":extLst" in xml:
        found = _EXTENSIONS.search(xml)
        end = found.start() if found else -1
    end = len(xml) if end < 0 else end
    return any(pattern.search(xml, 0, end) for pattern in _NOT_PLAIN_VALUES)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROW, _CELL, _F, _V = (f"{{{_MAIN}}}{name}" for name in ("row", "c", "f", "v"))
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Tab title -> its worksheet part, from workbook.xml and its rels (KeyError when a tab names no part)."""
    from lxml import etree
    book_part = "xl/workbook.xml"
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iterchildren(f"{{{_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(posixpath.dirname(book_part), target))
    book = etree.fromstring(archive.read(book_part))
    return {entry.get("name", ""): targets[entry.get(f"{{{_REL}}}id")]
            for entry in book.iter(f"{{{_MAIN}}}sheet")}


def typed_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) 0-based -> what a person typed, for each formula cell ("=A1*2", a shared formula translated
    to its cell) and error cell ("#N/A") of a sheet's XML: calamine gives their cached values, or nothing."""
    from lxml import etree
    from openpyxl.formula.translate import Translator
    out: dict[tuple[int, int], str] = {}
    shared: dict[str, tuple[str, str]] = {}
    number, col = 0, -1
    for event, element in etree.iterparse(io.BytesIO(xml), events=("start", "end"), tag=(_ROW, _CELL), huge_tree=True,
                                          resolve_entities=False, no_network=True):
        if element.tag == _ROW:
            if event == "start":
                number, col = int(element.get("r") or number + 1), -1
            else:
                element.clear()
            continue
        if event == "start":
            continue
        ref = element.get("r")
        found = _REF.match(ref) if ref else None
        col = column_index(found.group(1)) if found else col + 1
        formula = element.find(_F)
        if formula is not None:
            text = formula.text
            if formula.get("t") == "shared" and formula.get("si") is not None:
                if text:
                    shared[formula.get("si", "")] = (f"{column_letter(col)}{number}", text)
                elif formula.get("si", "") in shared:
                    origin, master = shared[formula.get("si", "")]
                    text = Translator(f"={master}", origin=origin).translate_formula(f"{column_letter(col)}{number}")[1:]
            if text:
                out[(number - 1, col)] = f"={text}"
        elif element.get("t") == "e" and (value := element.find(_V)) is not None and value.text:
            out[(number - 1, col)] = value.text
        element.clear()
    return out




def _with_typed(rows: list[list[str]], typed: dict[tuple[int, int], str]) -> list[list[str]]:
    for (r, c), text in typed.items():
        rows += [[] for _ in range(r + 1 - len(rows))]
        rows[r] += [""] * (c + 1 - len(rows[r]))
        rows[r][c] = text
    return trimmed(rows)


def read_with_calamine(data: bytes, choose: Callable[[list[str]], str | None] | None = None) -> SheetValues | None:
    """Every worksheet's cells as text, read by calamine (Rust; several times faster than openpyxl); None when
    openpyxl must read the file (calamine cannot, or the tabs cannot be matched to their parts). Calamine gives a
    formula's cached value (absent from files openpyxl saved) and error cells as "": in the tabs read, those cells
    are read from the sheet's XML as a person typed them (typed_cells), the way openpyxl reads them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            try:
                titles = [meta.name for meta in book.sheets_metadata if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
                if choose is not None:
                    chosen = choose(titles)
                    titles = [chosen] if chosen else []
                parts = worksheet_parts(archive) if titles else {}
                values = {}
                for title in titles:
                    rows = [[v if v.__class__ is str else cell_text(v) for v in row]  # most cells are text
                            for row in book.get_sheet_by_name(title).to_python(skip_empty_area=False)]
                    xml = archive.read(parts[title])
                    if _typed_values(xml):
                        rows = _with_typed(rows, typed_cells(xml))
                    values[title] = trimmed(rows)
                return values
            finally:
                book.close()
    except (*UNREADABLE, python_calamine.CalamineError):  # a bad deflate stream is zlib.error, not BadZipFile
        return None  # openpyxl reads it, or names the problem
