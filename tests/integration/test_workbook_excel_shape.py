"""A workbook a person saved from Excel (or downloaded from Google Sheets as .xlsx) keeps its text in a
shared-strings table, not inline as openpyxl writes it: backbone reads and syncs that shape, and a damaged
table is one clear line with the workbook left as it was, never a read that silently loses people's text
(a missing string would look like an emptied cell, and an emptied ID like a row people deleted)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.xlsx.workbook_sheet import WorkbookSheet
from sync.core.errors import InputError
from tests.fakes.excel_shape import as_excel_saves_it

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "example")
    plan = tmp_path / "example" / "plan.xlsx"
    plan.write_bytes(as_excel_saves_it(plan.read_bytes()))
    return tmp_path / "example"


def with_part(plan: Path, part: str, change) -> None:
    """The workbook with one part (e.g. xl/sharedStrings.xml) replaced by change(its text)."""
    with zipfile.ZipFile(plan) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    plan.write_bytes(out.getvalue())


def test_the_excel_shape_is_read_as_what_openpyxl_wrote(place):
    with zipfile.ZipFile(place / "plan.xlsx") as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
        assert 't="inlineStr"' not in archive.read("xl/worksheets/sheet1.xml").decode()
    assert WorkbookSheet(place / "plan.xlsx").read() == WorkbookSheet(EXAMPLE / "plan.xlsx").read()


@pytest.mark.subprocess
def test_a_sync_of_an_excel_saved_workbook_brings_the_board_and_keeps_peoples_cells(place):
    before = {row[0]: row for row in openpyxl.load_workbook(place / "plan.xlsx")["Idéer"].iter_rows(values_only=True)}
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "--settings", str(place / "settings.env"), "sync"],
                          capture_output=True, text=True, cwd=place)
    assert done.returncode == 0, done.stderr
    after = {row[0]: row for row in openpyxl.load_workbook(place / "plan.xlsx")["Idéer"].iter_rows(values_only=True)}
    assert len(after) > len(before) and set(before) <= set(after)  # new ideas came, no row was lost
    curated = next(row_id for row_id, row in before.items() if row[-1] == "nej")  # the person's curation stays
    assert after[curated][-1] == "nej" and after[curated][4] == before[curated][4]


@pytest.mark.subprocess
@pytest.mark.parametrize("damage", [
    pytest.param(lambda xml: xml[: xml.index("</si>", len(xml) // 2) + 5], id="cut after a whole string"),
    pytest.param(lambda xml: xml[: len(xml) // 2], id="cut in the middle"),
    pytest.param(lambda xml: re.sub(r"(<si>.*?</si>){10}</sst>", "</sst>", xml, flags=re.S), id="strings missing"),
])
def test_a_damaged_shared_strings_table_is_one_line_and_the_workbook_is_left_as_it_was(place, damage):
    with_part(place / "plan.xlsx", "xl/sharedStrings.xml", damage)
    kept = (place / "plan.xlsx").read_bytes()
    with pytest.raises(InputError, match=r"plan\.xlsx: inte en läsbar \.xlsx-arbetsbok"):
        WorkbookSheet(place / "plan.xlsx").read()
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "--settings", str(place / "settings.env"), "sync"],
                          capture_output=True, text=True, cwd=place)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("backbone: fel: ") and "inte en läsbar" in done.stderr
    assert (place / "plan.xlsx").read_bytes() == kept


@pytest.mark.subprocess
@pytest.mark.parametrize("formula", [False, True], ids=["read by calamine", "read by openpyxl"])
@pytest.mark.parametrize("tab", [0, 1], ids=["Workshops (written by the sync)", "Deltagare (only people's)"])
def test_a_tab_one_reader_would_drop_is_never_deleted_by_a_save(place, tab, formula):
    # Found by the fuzz test: one damaged namespace in a tab's entry in workbook.xml, and openpyxl leaves that tab
    # out (with a warning) while calamine reads it; saving the book would have deleted the tab and people's work.
    def damage(xml: str) -> str:
        entries = xml.split("<sheet ")
        entries[tab + 1] = entries[tab + 1].replace('xmlns:r="http://', 'xmlns:r="ttp://', 1)
        return "<sheet ".join(entries)
    if formula:  # a person's formula: calamine steps aside and openpyxl reads the workbook
        book = openpyxl.load_workbook(place / "plan.xlsx")
        book["Deltagare"]["H2"] = "=1+1"
        book.save(place / "plan.xlsx")
    with_part(place / "plan.xlsx", "xl/workbook.xml", damage)
    kept = (place / "plan.xlsx").read_bytes()
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "--settings", str(place / "settings.env"), "sync"],
                          capture_output=True, text=True, cwd=place)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "oväntat fel" not in done.stderr, done.stderr
    assert "kan inte öppnas" in done.stderr and "inget skrevs" in done.stderr
    assert (place / "plan.xlsx").read_bytes() == kept


EXCEL_DROPDOWN = (  # a drop-down list made in Excel that takes its choices from another tab: an x14 extension
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">'
    "<x14:formula1><xm:f>Listor!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>B2:B40</xm:sqref></x14:dataValidation>"
    "</x14:dataValidations></ext></extLst>")


@pytest.mark.subprocess
def test_an_excel_drop_down_in_a_tab_of_peoples_is_kept_byte_for_byte_and_nothing_is_said_removed(place):
    # openpyxl re-saved the whole workbook and removed Excel's x14 drop-downs; the in-place writer keeps them.
    with_part(place / "plan.xlsx", "xl/worksheets/sheet2.xml", lambda xml: xml.replace("</worksheet>",
                                                                                     EXCEL_DROPDOWN + "</worksheet>"))
    with zipfile.ZipFile(place / "plan.xlsx") as before:
        people = before.read("xl/worksheets/sheet2.xml")  # Deltagare: people's tab, which the sync never writes
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "--settings", str(place / "settings.env"), "sync"],
                          capture_output=True, text=True, cwd=place)
    assert done.returncode == 0, done.stderr
    assert "kan inte behållas" not in done.stdout and "UserWarning" not in done.stderr
    with zipfile.ZipFile(place / "plan.xlsx") as saved:
        sheet = saved.read("xl/worksheets/sheet2.xml").decode()
    assert "Idéer" in WorkbookSheet(place / "plan.xlsx").read() and "Deltagare" in WorkbookSheet(place / "plan.xlsx").read()
    assert sheet.encode() == people and "<xm:f>Listor!$A$1:$A$3</xm:f>" in sheet


def test_a_drop_down_lists_source_is_no_formula_the_fast_read_steps_aside_for(place):
    from sync.adapters.xlsx import xlsx_read
    with_part(place / "plan.xlsx", "xl/worksheets/sheet2.xml", lambda xml: xml.replace("</worksheet>",
                                                                                     EXCEL_DROPDOWN + "</worksheet>"))
    fast = xlsx_read.read_with_calamine((place / "plan.xlsx").read_bytes())
    assert fast is not None and fast == WorkbookSheet(EXAMPLE / "plan.xlsx").read()
