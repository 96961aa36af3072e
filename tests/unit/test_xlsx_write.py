"""The in-place writer on hand-made sheet XML: cells land in order, rows without numbers, a true dimension, the
schema's element order, a formula replaced drops calcChain, and a zip written back that every reader opens."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from sync.adapters.xlsx.xlsx_package import Package
from sync.adapters.xlsx.xlsx_write import WorkbookEdit, column_index, column_letter
from sync.core.errors import InputError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
      'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
      'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
      'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
      'worksheet+xml"/>{extra}</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.'
             'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
BOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="' + MAIN + '" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Idéer" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>')
BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.'
             'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>')
CHAIN_REL = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" '
             'Target="calcChain.xml"/>')
CHAIN_CT = ('<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.calcChain+xml"/>')


def workbook(sheet_data: str, after: str = "", *, chain: bool = False, dimension: str = "") -> bytes:
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">{dimension}'
             f'<sheetData>{sheet_data}</sheetData>{after}</worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CT.format(extra=CHAIN_CT if chain else ""))
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", BOOK)
        package.writestr("xl/_rels/workbook.xml.rels", BOOK_RELS.format(extra=CHAIN_REL if chain else ""))
        package.writestr("xl/worksheets/sheet1.xml", sheet)
        if chain:
            package.writestr("xl/calcChain.xml", f'<calcChain xmlns="{MAIN}"><c r="B1" i="1"/></calcChain>')
    return out.getvalue()


def written(data: bytes, cells, tmp_path: Path, guides: bool = False) -> tuple[bytes, str]:
    edit = WorkbookEdit(tmp_path / "plan.xlsx", data)
    sheet = edit.sheet("Idéer")
    for row, col, value in cells:
        sheet.set(row, col, value)
    if guides:
        sheet.freeze_header()
        sheet.add_list_validation(2, '"Ej påbörjad,Klar"')
    edit.finish()
    out = io.BytesIO()
    edit.package.write_to(out)
    result = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(result)) as package:
        assert package.testzip() is None
        return result, package.read("xl/worksheets/sheet1.xml").decode()


def grid(data: bytes) -> list[list]:
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Idéer").to_python()


def test_cells_land_in_order_between_existing_cells_and_rows(tmp_path):
    data = workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="C1" t="inlineStr"><is><t>Text</t></is>'
                    '</c></row><row r="4"><c r="A4"><v>4</v></c></row>', dimension='<dimension ref="A1:C4"/>')
    result, xml = written(data, [(0, 1, "Mitt"), (1, 0, "n1"), (3, 3, 2.5), (5, 0, "sist"), (0, 0, "ID!")], tmp_path)
    assert xml.index('r="A1"') < xml.index('r="B1"') < xml.index('r="C1"')
    assert xml.index('<row r="2"') < xml.index('<row r="4"') < xml.index('<row r="6"')
    assert '<dimension ref="A1:D6"/>' in xml
    assert grid(result) == [["ID!", "Mitt", "Text", ""], ["n1", "", "", ""], ["", "", "", ""], [4.0, "", "", 2.5],
                            ["", "", "", ""], ["sist", "", "", ""]]
    book = openpyxl.load_workbook(io.BytesIO(result))
    assert book["Idéer"]["B1"].value == "Mitt" and book["Idéer"]["B1"].data_type == "s"


def test_rows_and_cells_without_numbers_are_numbered_as_excel_reads_them(tmp_path):
    data = workbook('<row><c t="inlineStr"><is><t>ID</t></is></c><c t="inlineStr"><is><t>Text</t></is></c></row>'
                    '<row><c><v>1</v></c></row>')
    result, xml = written(data, [(1, 1, "ett"), (2, 0, 3)], tmp_path)
    assert grid(result) == [["ID", "Text"], [1.0, "ett"], [3.0, ""]]
    assert '<dimension ref="A1:B3"/>' in xml


def test_text_that_looks_like_a_formula_stays_text_and_spaces_are_kept(tmp_path):
    result, xml = written(workbook(""), [(0, 0, '=HYPERLINK("http://x","y")'), (0, 1, "  två\nrader ")], tmp_path)
    assert "<f>" not in xml and 'xml:space="preserve"' in xml
    assert grid(result) == [['=HYPERLINK("http://x","y")', "  två\nrader "]]


def test_a_formula_replaced_drops_calc_chain_and_its_entries(tmp_path):
    data = workbook('<row r="1"><c r="A1"><v>1</v></c><c r="B1" cm="1"><f>A1*2</f><v>2</v></c></row>', chain=True)
    kept, _xml = written(data, [(0, 0, 5)], tmp_path)
    assert "xl/calcChain.xml" in zipfile.ZipFile(io.BytesIO(kept)).namelist()  # no formula replaced: left as it is
    result, xml = written(data, [(0, 1, "värde")], tmp_path)
    package = zipfile.ZipFile(io.BytesIO(result))
    assert "xl/calcChain.xml" not in package.namelist()
    assert b"calcChain" not in package.read("[Content_Types].xml") + package.read("xl/_rels/workbook.xml.rels")
    assert 'cm="1"' not in xml and grid(result) == [[1.0, "värde"]]


def test_guides_go_where_the_schema_puts_them(tmp_path):
    after = ('<hyperlinks><hyperlink ref="A1" location="Idéer!A1"/></hyperlinks><pageMargins left="0.7" right="0.7" '
             'top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    result, xml = written(workbook('<row r="1"><c r="A1"><v>1</v></c></row>', after), [(1, 0, 2)], tmp_path, guides=True)
    assert xml.index("<dimension") < xml.index("<sheetViews") < xml.index("<sheetData") < xml.index("<dataValidations") \
        < xml.index("<hyperlinks") < xml.index("<pageMargins")
    sheet = openpyxl.load_workbook(io.BytesIO(result))["Idéer"]
    assert sheet.freeze_panes == "A2"
    rule = sheet.data_validations.dataValidation[0]
    assert rule.type == "list" and str(rule.sqref) == "C2:C1048576" and "Klar" in rule.formula1


def test_a_new_tab_is_a_part_and_its_entries_and_untouched_parts_are_copied(tmp_path):
    data = workbook('<row r="1"><c r="A1"><v>1</v></c></row>')
    edit = WorkbookEdit(tmp_path / "plan.xlsx", data)
    edit.add_tab("Synklogg")
    edit.sheet("Synklogg").set(0, 0, "Start")
    edit.finish()
    assert edit.package.touched() == sorted(["[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/workbook.xml",
                                             "xl/worksheets/sheet2.xml"])
    out = io.BytesIO()
    edit.package.write_to(out)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    assert book.sheet_names == ["Idéer", "Synklogg"] and book.get_sheet_by_name("Synklogg").to_python() == [["Start"]]
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out.getvalue()))
    for name in ("_rels/.rels", "xl/worksheets/sheet1.xml"):
        assert before.getinfo(name).CRC == after.getinfo(name).CRC and before.read(name) == after.read(name)


def test_a_tab_entry_that_names_no_part_is_refused(tmp_path):
    source, out = zipfile.ZipFile(io.BytesIO(workbook(""))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for name in source.namelist():
            part = source.read(name)
            damaged.writestr(name, part.replace(b'r:id="rId1"', b'r:id="rId7"') if name == "xl/workbook.xml" else part)
    data = out.getvalue()
    with pytest.raises(InputError, match="kan inte öppnas"):
        WorkbookEdit(tmp_path / "plan.xlsx", data)


def test_an_encrypted_entry_is_refused_with_one_line(tmp_path):
    data = bytearray(workbook(""))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the first entry's general purpose flag: encrypted
    with pytest.raises(InputError, match="krypterad"):
        Package(tmp_path / "plan.xlsx", bytes(data))


def test_column_letters_both_ways():
    for index, letters in ((0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")):
        assert column_letter(index) == letters and column_index(letters) == index


X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"


@pytest.mark.parametrize("prefix", ["", "x:"], ids=["default namespace", "prefixed namespace"])
def test_rows_not_written_stay_byte_for_byte_and_written_ones_keep_their_namespaces(tmp_path, prefix):
    declare = f'xmlns{":" + prefix[:-1] if prefix else ""}="{MAIN}" xmlns:x14ac="{X14AC}"'
    untouched = (f'<{prefix}row r="2" spans="1:2" x14ac:dyDescent="0.25"><{prefix}c r="A2" t="inlineStr"><{prefix}is>'
                 f'<{prefix}t>n1 &amp; &lt;b&gt;</{prefix}t></{prefix}is></{prefix}c></{prefix}row>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{prefix}worksheet {declare}><{prefix}dimension '
             f'ref="A1:B3"/><{prefix}sheetData><{prefix}row r="1" x14ac:dyDescent="0.25"><{prefix}c r="A1"><{prefix}v>1'
             f'</{prefix}v></{prefix}c></{prefix}row>{untouched}<{prefix}row r="3"/></{prefix}sheetData></{prefix}worksheet>')
    data = workbook("")
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name in source.namelist():
            package.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else source.read(name))
    edit = WorkbookEdit(tmp_path / "plan.xlsx", out.getvalue())
    spliced = edit.sheet("Idéer")
    assert type(spliced).__name__ == "SplicedSheet"
    spliced.set(0, 1, "ny")
    spliced.set(3, 0, "n3")
    edit.finish()
    xml = edit.package.read("xl/worksheets/sheet1.xml").decode()
    assert untouched in xml and f'<{prefix}row r="3"/>' in xml  # copied as they were
    assert f'<{prefix}row r="1" x14ac:dyDescent="0.25">' in xml and xml.count("xmlns:x14ac") == 1
    assert f'<{prefix}dimension ref="A1:B4"/>' in xml
    written_out = io.BytesIO()
    edit.package.write_to(written_out)
    assert grid(written_out.getvalue()) == [[1.0, "ny"], ["n1 & <b>", ""], ["", ""], ["n3", ""]]


def test_a_new_tab_never_takes_a_part_name_that_differs_only_in_case(tmp_path):
    source, out = zipfile.ZipFile(io.BytesIO(workbook(""))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as renamed:  # as some tools name it: Sheet2.xml, unknown to workbook.xml
        for name in source.namelist():
            renamed.writestr(name, source.read(name))
        renamed.writestr("xl/worksheets/Sheet2.xml", f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')
    edit = WorkbookEdit(tmp_path / "plan.xlsx", out.getvalue())
    edit.add_tab("Synklogg")
    assert edit.tabs["Synklogg"] == "xl/worksheets/sheet3.xml"


def test_a_relationship_naming_a_part_in_another_case_finds_it(tmp_path):
    source, out = zipfile.ZipFile(io.BytesIO(workbook('<row r="1"><c r="A1"><v>1</v></c></row>'))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as renamed:  # the rels say worksheets/sheet1.xml, the zip holds Sheet1.xml
        for name in source.namelist():
            renamed.writestr(name.replace("sheet1.xml", "Sheet1.xml"), source.read(name))
    edit = WorkbookEdit(tmp_path / "plan.xlsx", out.getvalue())
    edit.sheet("Idéer").set(0, 1, "två")
    edit.finish()
    assert edit.package.touched() == ["xl/worksheets/Sheet1.xml"]
    written_out = io.BytesIO()
    edit.package.write_to(written_out)
    assert zipfile.ZipFile(io.BytesIO(written_out.getvalue())).namelist().count("xl/worksheets/Sheet1.xml") == 1
