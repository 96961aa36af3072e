"""Cells written in place in a workbook: lxml over the sheet XML of the tabs backbone writes, the package
changed part by part (xlsx_package.py). A tab backbone does not write is never parsed, and every part it does
not touch is copied byte for byte.

- A cell is updated or inserted in its row (rows and cells in order); its style stays. Text is an inline
  string (t="inlineStr"): the shared-strings table is not touched, and text stays text ("=SUM(…)" is no formula).
- `<dimension>` is kept true; a row's `spans` hint is widened when a cell lands past it.
- A new tab is a new part plus its entries in workbook.xml, the workbook's rels and [Content_Types].xml;
  its header row gets backbone's header style (bold), appended to styles.xml without renumbering any style.
- The frozen header row and the Status drop-down are XML, added only where missing.
- A cell that held a formula and now holds a value makes xl/calcChain.xml wrong: it is left out (Excel
  rebuilds it), with its entries; otherwise it stays as it is.
"""
from __future__ import annotations

import bisect
import copy
import functools
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sync.adapters.xlsx.xlsx_package import Package, odd
from sync.core.errors import InputError
from sync.core.i18n import _
from sync.core.sheet.cell_refs import column_index, column_letter
from sync.ports import CellValue

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
OFFICE_DOCUMENT = REL + "/officeDocument"
WORKSHEET = REL + "/worksheet"
CALC_CHAIN = REL + "/calcChain"
STYLES = REL + "/styles"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _q(name: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{name}"


_C, _V, _F, _IS, _T, _EXT = (_q(name) for name in ("c", "v", "f", "is", "t", "extLst"))
_SPACE = _q("space", XML_NS)

# The order of a worksheet's children the schema fixes (ECMA-376 CT_Worksheet): Excel refuses another order.
ORDER = {name: i for i, name in enumerate((
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
    "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst"))}

NEW_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<worksheet xmlns="' + MAIN.encode() + b'" xmlns:r="' + REL.encode() + b'"><dimension ref="A1"/>'
             b'<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
             b'<sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             b'</worksheet>')

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


def parse_ref(ref: str) -> tuple[int, int]:
    """'B5' -> (row 5, column 1): the row 1-based as in the file, the column 0-based."""
    found = _REF.match(ref)
    if not found:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(found.group(2)), column_index(found.group(1))


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """'A1:L200' -> (1, 0, 200, 11); None for anything else (no dimension, or one that cannot be read)."""
    ends = ref.split(":")
    if not 1 <= len(ends) <= 2 or not all(_REF.match(end) for end in ends):
        return None
    (row1, col1), (row2, col2) = parse_ref(ends[0]), parse_ref(ends[-1])
    return min(row1, row2), min(col1, col2), max(row1, row2), max(col1, col2)


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def insert_in_order(parent: etree._Element, child: etree._Element) -> None:
    """Insert a worksheet child where the schema's order puts it."""
    mine = ORDER[etree.QName(child).localname]
    for index, existing in enumerate(parent):
        if not isinstance(existing.tag, str):
            continue
        qname = etree.QName(existing)
        if qname.namespace in (MAIN, None) and ORDER.get(qname.localname, -1) > mine:
            parent.insert(index, child)
            return
    parent.append(child)


@dataclass
class Sheet:
    """One worksheet part, parsed, with its rows by number."""
    part: str
    root: etree._Element
    data: etree._Element
    rows: dict[int, etree._Element] = field(default_factory=dict)
    formula_replaced: bool = False
    last: int = 0  # the highest row number
    bounds: tuple[int, int, int, int] | None = None  # first row, first column, last row, last column in use

    @classmethod
    def parse(cls, part: str, xml: bytes) -> Sheet:
        if cls is Sheet and (spliced := SplicedSheet.split(part, xml)) is not None:
            return spliced
        root = _xml(xml)
        data = root.find(_q("sheetData"))
        if data is None:
            data = etree.Element(_q("sheetData"))
            insert_in_order(root, data)
        sheet = cls(part, root, data)
        number = 0
        for row in data.iterchildren(_q("row")):
            given = row.get("r")
            number = int(given) if given else number + 1
            if not given:
                row.set("r", str(number))  # implied numbers made explicit: new rows go in between
            sheet.rows[number] = row
        sheet.last = number if sheet.rows else 0
        if sheet.rows and sorted(sheet.rows) != list(sheet.rows):
            raise ValueError(f"{part}: rows out of order")
        dimension = root.find(_q("dimension"))
        sheet.bounds = _range(dimension.get("ref", "") if dimension is not None else "")
        if sheet.bounds == (1, 0, 1, 0) and sheet.last > 1:
            sheet.bounds = None  # "A1" over a tab with rows: a tool that did not count; measured when written
        return sheet

    def _cells(self, row: etree._Element, number: int) -> list[etree._Element]:
        """A row's cells, each with its reference (a cell without one is the one after the cell before it)."""
        cells = row.findall(_q("c"))
        col = -1
        for cell in cells:
            ref = cell.get("r")
            col = parse_ref(ref)[1] if ref else col + 1
            if not ref:
                cell.set("r", f"{column_letter(col)}{number}")
        return cells

    def _row(self, number: int) -> etree._Element:
        row = self.rows.get(number)
        if row is not None:
            return row
        row = etree.Element(_q("row"))
        row.set("r", str(number))
        if not self.rows or number > self.last:
            self.data.append(row)  # the usual case, new rows at the end: no search
        else:
            after = max((n for n in self.rows if n < number), default=None)
            if after is None:
                self.data.insert(0, row)
            else:
                self.rows[after].addnext(row)
        self.rows[number] = row
        self.last = max(self.last, number)
        return row

    def set(self, row: int, col: int, value: CellValue, style: int | None = None) -> None:
        """One cell; row and column 0-based, as backbone's writes are."""
        self.set_row(row, {col: (value, style)})

    def set_row(self, row: int, values: dict[int, tuple[CellValue, int | None]]) -> None:
        """Cells of one row (0-based column -> (value, style or None to keep the cell's)): the row's cells are
        looked at once, and new ones go in column order."""
        if not values:
            return
        number = row + 1
        element = self._row(number)
        cells = self._cells(element, number)
        existing = {parse_ref(c.get("r", ""))[1]: c for c in cells}
        order = sorted(existing)
        tail = element.find(_EXT)  # a row's own extLst stays last
        for col in sorted(values):
            cell = existing.get(col)
            if cell is None:
                cell = etree.Element(_C)
                cell.set("r", f"{column_letter(col)}{number}")
                after = bisect.bisect_right(order, col)
                if after < len(order):
                    existing[order[after]].addprevious(cell)
                elif tail is not None:
                    tail.addprevious(cell)
                else:
                    element.append(cell)
                existing[col] = cell
                order.insert(after, col)
            value, style = values[col]
            self._fill(cell, value, style)
        low, high = min(values), max(values)
        self._grow(number, low)
        self._grow(number, high)
        spans = element.get("spans")
        if spans and ":" in spans:
            first, last = (int(x) for x in spans.split(":", 1))
            element.set("spans", f"{min(first, low + 1)}:{max(last, high + 1)}")

    def _fill(self, cell: etree._Element, value: CellValue, style: int | None) -> None:
        for child in list(cell):
            if child.tag == _F:
                self.formula_replaced = True
            cell.remove(child)
        for attribute in ("t", "cm", "vm", "ph"):
            if attribute in cell.attrib:
                del cell.attrib[attribute]
        if style is not None:
            cell.set("s", str(style))
        if isinstance(value, bool):
            cell.set("t", "b")
            etree.SubElement(cell, _V).text = "1" if value else "0"
        elif isinstance(value, int | float):
            etree.SubElement(cell, _V).text = repr(float(value)) if isinstance(value, float) and not \
                value.is_integer() else str(int(value))
        elif value != "":
            cell.set("t", "inlineStr")
            text = etree.SubElement(etree.SubElement(cell, _IS), _T)
            text.text = value
            if value != value.strip() or "\n" in value:
                text.set(_SPACE, "preserve")

    def _grow(self, number: int, col: int) -> None:
        if self.bounds is None:
            return
        low_row, low_col, high_row, high_col = self.bounds
        self.bounds = (min(low_row, number), min(low_col, col), max(high_row, number), max(high_col, col))

    def keep_dimension_true(self) -> None:
        """The declared range grown by the cells written (no cell is ever taken away); worked out from every
        row when the tab declared none, or one that cannot be read."""
        if self.bounds is None:
            self.bounds = self._measured()
        dimension = self.root.find(_q("dimension"))
        if dimension is None:
            dimension = etree.Element(_q("dimension"))
            insert_in_order(self.root, dimension)
        if self.bounds is None:
            dimension.set("ref", "A1")
            return
        low_row, low_col, high_row, high_col = self.bounds
        first, last = f"{column_letter(low_col)}{low_row}", f"{column_letter(high_col)}{high_row}"
        dimension.set("ref", first if first == last else f"{first}:{last}")

    def _measured(self) -> tuple[int, int, int, int] | None:
        bounds = None
        for number, row in self.rows.items():
            cells = self._cells(row, number)
            if not cells:
                continue
            first, last = parse_ref(cells[0].get("r", ""))[1], parse_ref(cells[-1].get("r", ""))[1]
            if bounds is None:
                bounds = (number, first, number, last)
            else:
                bounds = (min(bounds[0], number), min(bounds[1], first), max(bounds[2], number), max(bounds[3], last))
        return bounds

    def freeze_header(self) -> None:
        """A frozen first row, unless the tab already has a pane (frozen or split) of its own."""
        views = self.root.find(_q("sheetViews"))
        if views is None:
            views = etree.Element(_q("sheetViews"))
            insert_in_order(self.root, views)
        view = views.find(_q("sheetView"))
        if view is None:
            view = etree.SubElement(views, _q("sheetView"))
            view.set("workbookViewId", "0")
        if view.find(_q("pane")) is not None:
            return
        pane = etree.Element(_q("pane"))
        for key, value in (("ySplit", "1"), ("topLeftCell", "A2"), ("activePane", "bottomLeft"), ("state", "frozen")):
            pane.set(key, value)
        view.insert(0, pane)
        for selection in view.iterchildren(_q("selection")):
            selection.set("pane", "bottomLeft")  # the only pane a frozen row leaves below it

    def has_validation(self, col: int) -> bool:
        """Any drop-down or other rule (plain or Excel's x14 extension) that covers the column."""
        refs = [v.get("sqref", "") for v in self.root.iter(_q("dataValidation"))]
        refs += [s.text or "" for s in self.root.iter(_q("sqref", XM))]
        for ref in refs:
            for part in ref.split():
                ends = [column_index(re.sub(r"[^A-Za-z]", "", end)) for end in part.split(":") if re.sub(r"[^A-Za-z]", "", end)]
                if ends and min(ends) <= col <= max(ends):
                    return True
        return False

    def add_list_validation(self, col: int, listed: str) -> None:
        rules = self.root.find(_q("dataValidations"))
        if rules is None:
            rules = etree.Element(_q("dataValidations"))
            insert_in_order(self.root, rules)
        rule = etree.SubElement(rules, _q("dataValidation"))
        letter = column_letter(col)
        for key, value in (("type", "list"), ("allowBlank", "1"), ("showErrorMessage", "1"),
                           ("sqref", f"{letter}2:{letter}1048576")):
            rule.set(key, value)
        etree.SubElement(rule, _q("formula1")).text = listed
        rules.set("count", str(len(rules.findall(_q("dataValidation")))))

    def xml(self) -> bytes:
        self.keep_dimension_true()
        return _bytes(self.root)


_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData(\s[^>]*)?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData\s*>")
_PREFIX = re.compile(rb"\w+:")


@functools.lru_cache(maxsize=8)
def _row_pattern(start_tag: bytes) -> re.Pattern[bytes]:
    """A row's start tag and its number (<row r="5" …>); starting with a literal, which re searches fast."""
    return re.compile(re.escape(start_tag) + rb'\s[^>]*?(?<=\s)r="(\d+)"')


_WRAPPED = re.compile(rb"^<[^>]*>(.*)</[^>]*>$", re.S)


class SplicedSheet(Sheet):
    """A sheet whose rows are found in its bytes and parsed only where a cell is written: the other rows are
    copied as they were, so a 20,000-row tab costs a scan, not a parse. Used when every row is numbered and
    the tab declares its range (Excel, LibreOffice, openpyxl and XlsxWriter all write both); otherwise the
    whole sheet is parsed (Sheet)."""

    source: bytes = b""
    spans: dict[int, tuple[int, int]]

    @classmethod
    def split(cls, part: str, xml: bytes) -> SplicedSheet | None:
        if b"<![CDATA[" in xml or b"<!--" in xml or b"<!DOCTYPE" in xml:
            return None
        # Found with plain byte searches (a regex over every tag of a 20,000-row tab costs more than the write).
        at = xml.find(b"sheetData")
        tag = xml.rfind(b"<", 0, at) if at > 0 else -1
        prefix = xml[tag + 1: at]
        if tag < 0 or (prefix and not _PREFIX.fullmatch(prefix)):
            return None
        opening = _SHEET_DATA.match(xml, tag)
        if opening is None or opening.group(1):
            return None
        if opening.group(2):
            rows, skeleton = b"", xml
        else:
            closing = xml.rfind(b"</" + prefix + b"sheetData")
            if closing < opening.end():
                return None
            rows, skeleton = xml[opening.end(): closing], xml[: opening.end()] + xml[closing:]
        start_tag = b"<" + prefix + b"row"
        heads = [(int(row.group(1)), row.start()) for row in _row_pattern(start_tag).finditer(rows)]
        ours = len(heads) + rows.count(b"</" + prefix + b"row") if prefix else 0  # x:row, in start and end tags
        if len(heads) != rows.count(start_tag) or rows.count(b":row") != ours:
            return None  # a row without a number (parsed whole by Sheet, which numbers it), or another prefix
        # Rows are all sheetData holds: a row's bytes run to the next row's start (its trailing whitespace with it).
        ends = [start for _number, start in heads[1:]] + [len(rows)]
        spans = {number: (start, end) for (number, start), end in zip(heads, ends)}
        numbers = list(spans)
        if len(spans) != len(heads) or numbers != sorted(numbers):
            return None  # a row twice, or out of order: refused by Sheet
        last = numbers[-1] if numbers else 0
        root = _xml(skeleton)
        data = root.find(_q("sheetData"))
        dimension = root.find(_q("dimension"))
        bounds = _range(dimension.get("ref", "") if dimension is not None else "")
        if data is None or len(data) or bounds is None or (bounds == (1, 0, 1, 0) and last > 1):
            return None
        sheet = cls(part, root, data, last=last, bounds=bounds)
        sheet.source, sheet.spans = rows, spans
        return sheet

    def _holder(self) -> etree._Element:
        """An element declaring every namespace the worksheet does, for rows parsed or made on their own."""
        return etree.Element(_q("sheetData"), nsmap=self.root.nsmap)

    def _row(self, number: int) -> etree._Element:
        row = self.rows.get(number)
        if row is not None:
            return row
        holder = self._holder()
        if number in self.spans:
            start, end = self.spans[number]
            declared = etree.tostring(holder)  # <sheetData xmlns=… xmlns:x14ac=…/>
            wrapped = declared[:-2] + b">" + self.source[start:end] + b"</" + declared[1:].split(b" ", 1)[0] + b">"
            holder = _xml(wrapped)
            row = holder[0]
        else:
            row = etree.SubElement(holder, _q("row"))
            row.set("r", str(number))
        self.rows[number] = row
        self.last = max(self.last, number)
        return row

    def _measured(self) -> tuple[int, int, int, int] | None:
        raise AssertionError("a spliced sheet declares its range")  # split() takes only those

    def xml(self) -> bytes:
        self.keep_dimension_true()
        out = _bytes(self.root)
        empty = _SHEET_DATA.search(out)
        if empty is None or not empty.group(2):
            raise ValueError(f"{self.part}: the sheet data was not found again")
        name = empty.group(0)[1:].split(b"/", 1)[0].split(b" ", 1)[0].rstrip(b">")  # sheetData, or x:sheetData
        first = min((start for start, _end in self.spans.values()), default=len(self.source))
        pieces = [out[: empty.start()], b"<" + name + b">", self.source[:first]]
        for number in sorted(self.spans.keys() | self.rows.keys()):
            row = self.rows.get(number)
            if row is None:
                start, end = self.spans[number]
                pieces.append(self.source[start:end])
            else:
                found = _WRAPPED.match(etree.tostring(row.getparent()))
                if found is None:
                    raise ValueError(f"{self.part}: row {number} could not be written")
                pieces.append(found.group(1))
        pieces += [b"</" + name + b">", out[empty.end():]]
        return b"".join(pieces)


class WorkbookEdit:
    """One workbook's package opened for writing in place."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        self.package = Package(path, data)
        rels = self._rels("")
        book = next((target for kind, target in rels.values() if kind == OFFICE_DOCUMENT), None)
        if book is None or not self.package.has(book):
            raise odd(path, _("no workbook part"))
        self.book_part = book
        self.book = _xml(self.package.read(book))
        if self.book.tag.startswith(f"{{{STRICT}}}") or etree.QName(self.book).namespace != MAIN:
            raise odd(path, _("it is saved as Strict Open XML"))
        self.book_rels = self._rels(book)
        self.tabs: dict[str, str] = {}  # title -> worksheet part
        sheets = self.book.find(_q("sheets"))
        for entry in [] if sheets is None else sheets.iterchildren(_q("sheet")):
            rel = self.book_rels.get(entry.get(_q("id", REL), ""))
            if rel is None or not self.package.has(rel[1]):
                raise InputError(_("{path}: a tab of the workbook cannot be opened (a damaged part of the file); "
                                   "nothing was written: open the workbook in Excel or LibreOffice and save it as "
                                   ".xlsx").format(path=path))
            if rel[0] == WORKSHEET:
                self.tabs[entry.get("name", "")] = rel[1]
        self._sheets: dict[str, Sheet] = {}
        self._book_changed = False
        self._header_style: int | None = None

    def _rels_part(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of a part ('' for the package)."""
        rels_part = self._rels_part(part)
        if not self.package.has(rels_part):
            return {}
        out = {}
        for rel in _xml(self.package.read(rels_part)).iterchildren(_q("Relationship", PKG_REL)):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return out

    def sheet(self, title: str) -> Sheet:
        if title not in self._sheets:
            part = self.tabs.get(title)
            if part is None:
                raise InputError(_("{path}: the tab {tab!r} is gone; run the sync again").format(path=self.path, tab=title))
            self._sheets[title] = Sheet.parse(part, self.package.read(part))
        return self._sheets[title]

    def add_tab(self, title: str) -> None:
        if title in self.tabs:
            return
        taken = {name.lower() for name in self.package.names()}  # part names are case-insensitive (OPC)
        number = 1
        while f"xl/worksheets/sheet{number}.xml" in taken:
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        self.package.replace(part, NEW_SHEET)
        rel_id = self._add_relationship(self.book_part, WORKSHEET, posixpath.relpath(part, posixpath.dirname(self.book_part)))
        sheets = self.book.find(_q("sheets"))
        if sheets is None:
            raise odd(self.path, _("no workbook part"))
        ids = [int(s.get("sheetId", "0")) for s in sheets.iterchildren(_q("sheet")) if s.get("sheetId", "").isdigit()]
        entry = etree.SubElement(sheets, _q("sheet"))
        entry.set("name", title)
        entry.set("sheetId", str(max(ids, default=0) + 1))
        entry.set(_q("id", REL), rel_id)
        self._book_changed = True
        self._content_type(f"/{part}", WORKSHEET_TYPE)
        self.tabs[title] = part
        self._sheets[title] = Sheet.parse(part, NEW_SHEET)

    def _add_relationship(self, source: str, kind: str, target: str) -> str:
        rels_part = self._rels_part(source)
        root = _xml(self.package.read(rels_part)) if self.package.has(rels_part) else \
            etree.Element(_q("Relationships", PKG_REL), nsmap={None: PKG_REL})
        taken = {rel.get("Id") for rel in root}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        rel = etree.SubElement(root, _q("Relationship", PKG_REL))
        rel.set("Id", f"rId{number}")
        rel.set("Type", kind)
        rel.set("Target", target)
        self.package.replace(rels_part, _bytes(root))
        if source == self.book_part:
            self.book_rels[f"rId{number}"] = (kind, posixpath.normpath(posixpath.join(posixpath.dirname(source), target)))
        return f"rId{number}"

    def _content_type(self, part_name: str, content_type: str | None) -> None:
        """Add (or, with None, remove) a part's override in [Content_Types].xml."""
        root = _xml(self.package.read("[Content_Types].xml"))
        for override in root.iterchildren(_q("Override", TYPES)):
            if override.get("PartName", "").lower() == part_name.lower():
                root.remove(override)
        if content_type is not None:
            override = etree.SubElement(root, _q("Override", TYPES))
            override.set("PartName", part_name)
            override.set("ContentType", content_type)
        self.package.replace("[Content_Types].xml", _bytes(root))

    def header_style(self) -> int | None:
        """Backbone's header style (bold) for the header rows of the tabs it adds: a font and a cell format
        appended to styles.xml, so no existing style changes its number. None when the workbook has no styles."""
        if self._header_style is not None:
            return self._header_style
        part = next((target for kind, target in self.book_rels.values() if kind == STYLES), None)
        if part is None or not self.package.has(part):
            return None
        styles = _xml(self.package.read(part))
        fonts, formats = styles.find(_q("fonts")), styles.find(_q("cellXfs"))
        if fonts is None or formats is None or len(fonts) == 0 or len(formats) == 0:
            return None
        bold = copy.deepcopy(fonts[0])  # the default font, bold
        for old in bold.findall(_q("b")):
            bold.remove(old)
        bold.insert(0, etree.Element(_q("b")))
        fonts.append(bold)
        fonts.set("count", str(len(fonts)))
        xf = etree.SubElement(formats, _q("xf"))
        for key, value in (("numFmtId", "0"), ("fontId", str(len(fonts) - 1)), ("fillId", "0"), ("borderId", "0"),
                           ("xfId", "0"), ("applyFont", "1")):
            xf.set(key, value)
        formats.set("count", str(len(formats)))
        self.package.replace(part, _bytes(styles))
        self._header_style = len(formats) - 1
        return self._header_style

    def finish(self) -> Package:
        """Every change serialised into the package."""
        formulas_replaced = False
        for sheet in self._sheets.values():
            self.package.replace(sheet.part, sheet.xml())
            formulas_replaced |= sheet.formula_replaced
        if self._book_changed:
            self.package.replace(self.book_part, _bytes(self.book))
        if formulas_replaced:
            self._drop_calc_chain()
        return self.package

    def _drop_calc_chain(self) -> None:
        chain = [(rel_id, target) for rel_id, (kind, target) in self.book_rels.items() if kind == CALC_CHAIN]
        if not chain:
            return
        rels_part = self._rels_part(self.book_part)
        root = _xml(self.package.read(rels_part))
        for rel in list(root):
            if rel.get("Id") in {rel_id for rel_id, _t in chain}:
                root.remove(rel)
        self.package.replace(rels_part, _bytes(root))
        for _rel_id, target in chain:
            if self.package.has(target):
                self.package.remove(target)
            self._content_type(f"/{target}", None)
