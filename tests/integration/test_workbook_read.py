"""The workbook's fast read (calamine) reads what openpyxl reads, and steps aside where it cannot."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart

from sync.adapters.xlsx import xlsx_read
from sync.adapters.xlsx.workbook_sheet import WorkbookSheet

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden" / "plan.xlsx"


def read_by_openpyxl(path: Path):
    return xlsx_read.read_with_openpyxl(path, path.read_bytes())


def every_kind_of_cell(path: Path, *, person_formula: bool = False, error: bool = False) -> Path:
    book = openpyxl.Workbook()
    tab = book.active
    tab.title = "Idéer"
    tab["C3"] = "å ä ö 🎉 & < >"
    for column, value in zip("BDEFGHIJKL", [5, 2.5, dt.date(2021, 5, 4), dt.datetime(2021, 5, 4, 12, 30), True,
                                            12345678901234, dt.time(12, 30), 0.1, "  spaced  ", "rad\nrad"]):
        tab[f"{column}5"] = value
    tab["M5"] = "=HYPERLINK(\"x\")"
    tab["M5"].data_type = "s"  # text that looks like a formula, as backbone stores it
    if person_formula:
        tab["N5"] = "=B5*2"  # typed by a person: openpyxl keeps no cached value when it saves
    if error:
        tab["O5"] = "#N/A"
        tab["O5"].data_type = "e"
    book.create_sheet("Tom")
    book.create_chartsheet("Diagram").add_chart(BarChart())
    book.save(path)
    return path


def test_calamine_reads_every_kind_of_cell_as_openpyxl_does(tmp_path):
    for path in (every_kind_of_cell(tmp_path / "all.xlsx"), shutil.copy(EXAMPLE, tmp_path / "plan.xlsx")):
        fast = xlsx_read.read_with_calamine(Path(path).read_bytes())
        assert fast is not None
        assert fast == read_by_openpyxl(Path(path))
        assert WorkbookSheet(path).read() == fast


def test_a_persons_formula_or_an_error_cell_is_read_as_typed_as_openpyxl_reads_it(tmp_path):
    formula = every_kind_of_cell(tmp_path / "formula.xlsx", person_formula=True)
    error = every_kind_of_cell(tmp_path / "error.xlsx", error=True)
    for path in (formula, error):  # calamine for the values, the sheet's XML for formulas and errors
        fast = xlsx_read.read_with_calamine(path.read_bytes())
        assert fast is not None and fast == read_by_openpyxl(path)
    assert WorkbookSheet(formula).read()["Idéer"][4][13] == "=B5*2"  # never "" (it would look empty and be filled)
    assert WorkbookSheet(error).read()["Idéer"][4][14] == "#N/A"


def test_shared_formulas_and_formulas_with_cached_results_are_read_as_typed(tmp_path):
    import xlsxwriter
    path = tmp_path / "shared.xlsx"
    book = xlsxwriter.Workbook(str(path))
    tab = book.add_worksheet("Idéer")
    tab.write_row(0, 0, ["ID", "Antal", "Dubbelt"])
    for row in range(1, 4):
        tab.write_row(row, 0, [f"n{row}", row])
        tab.write_formula(row, 2, f"=B{row + 1}*2", None, row * 2)  # cached results, as Excel saves them
    book.close()
    # Excel writes a column of the same formula as one shared formula: the first cell holds the text.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace("<f>B2*2</f>", '<f t="shared" ref="C2:C4" si="0">B2*2</f>')
    xml = xml.replace("<f>B3*2</f>", '<f t="shared" si="0"/>').replace("<f>B4*2</f>", '<f t="shared" si="0"/>')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    fast = xlsx_read.read_with_calamine(path.read_bytes())
    assert fast == read_by_openpyxl(path)
    assert [row[2] for row in fast["Idéer"][1:]] == ["=B2*2", "=B3*2", "=B4*2"]


def test_a_file_calamine_cannot_read_goes_to_openpyxl_which_names_it(tmp_path):
    assert xlsx_read.read_with_calamine(b"not a zip") is None
    broken = io.BytesIO()
    broken.write(b"PK\x03\x04 truncated")
    assert xlsx_read.read_with_calamine(broken.getvalue()) is None


def test_the_workshops_tab_alone_is_what_the_whole_read_holds_for_it(tmp_path):
    path = shutil.copy(EXAMPLE, tmp_path / "plan.xlsx")
    sheet = WorkbookSheet(path)
    alone = sheet.read_workshops()
    assert list(alone) == ["Workshops"] and alone["Workshops"] == sheet.read()["Workshops"]
    formula = every_kind_of_cell(tmp_path / "formula.xlsx", person_formula=True)  # no Workshops tab: nothing
    assert WorkbookSheet(formula).read_workshops() == {}


def test_a_worksheet_with_a_broken_compressed_stream_is_one_clear_error(tmp_path):
    # Found by the fuzz test: a bad deflate stream inside a valid zip raises zlib.error, not BadZipFile.
    import pytest

    from sync.core.errors import InputError
    source = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden" / "plan.xlsx"
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        offset = archive.getinfo("xl/worksheets/sheet1.xml").header_offset
    name_length, extra_length = struct.unpack("<HH", data[offset + 26: offset + 30])
    body = offset + 30 + name_length + extra_length  # where the compressed sheet starts
    data[body] = 0xFF  # its first deflate block of a type that does not exist: zlib.error on reading
    broken = tmp_path / "plan.xlsx"
    broken.write_bytes(bytes(data))
    with pytest.raises(InputError, match="inte en läsbar .xlsx-arbetsbok"):
        WorkbookSheet(broken).read_workshops()  # the first read of a sync
    with pytest.raises(InputError, match="inte en läsbar .xlsx-arbetsbok"):
        WorkbookSheet(broken).read()
