"""Planning workbooks as people make them in Excel, generated with XlsxWriter (the library Excel tooling uses):
each feature the issue lists sits on a tab of people's, and some on the tabs backbone writes too.

`FEATURES` names, per feature, the parts that hold it (kept byte for byte when no sync touches them) and the
XML a tab backbone writes holds for it (kept through the rewrite of that tab's sheet XML).
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

BOARD_ID = "ws.1620111600000"
BOARD_URL = f"https://app.mural.co/t/ws/m/ws/{BOARD_ID[3:]}/abc"
IDEAS_HEADER = ["ID", "Workshop", "Övning", "Grupp", "Text", "Författare", "Ändrad", "På tavlan", "Röster", "Taggar",
                "Kommentarer", "I sammanfattningen"]

# feature -> (part name prefixes holding it, XML the Idéer or Workshops sheet holds for it)
FEATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "images (PNG and GIF)": (("xl/media/image", "xl/drawings/drawing"), ()),
    "form control (a button)": (("xl/drawings/vmlDrawing",), ()),
    "charts": (("xl/charts/chart",), ()),
    "text boxes": (("xl/drawings/drawing",), ()),
    "x14 data bars and icon sets": ((), ("x14:dataBar", 'iconSet="3Flags"', "<x14:cfRule")),
    "drop-downs sourced from another tab": ((), ("Listor!$A$1:$A$4",)),
    "sparklines": ((), ("x14:sparklineGroup",)),
    "headers and footers": ((), ("<oddHeader>&amp;LPlanering&amp;RSida &amp;P</oddHeader>",)),
    "print area and titles": ((), ("_xlnm.Print_Area", "_xlnm.Print_Titles")),
    "Excel tables": (("xl/tables/table",), ("<tableParts",)),
    "comments": (("xl/comments", "xl/drawings/vmlDrawing"), ("<legacyDrawing",)),
    "defined names": ((), ("Budgetrader",)),
    "dynamic-array formulas": (("xl/metadata.xml",), ('cm="1"',)),
    "cached formula results": ((), ("<v>6</v>",)),
    "VBA project (.xlsm)": (("xl/vbaProject.bin",), ()),
    # Parts Excel adds that XlsxWriter does not make, added by excel_extras() below.
    "custom XML": (("customXml/",), ()),
    "printer settings": (("xl/printerSettings/",), ('r:id="rIdPrinter"',)),
    "chart style and colour parts": (("xl/charts/style", "xl/charts/colors", "xl/charts/_rels/"), ()),
}


def png(width: int = 4, height: int = 3) -> bytes:
    """A small real PNG, made here (red pixels)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def gif(width: int = 8, height: int = 8) -> bytes:
    """A small real GIF, made here: a two-colour palette and an uncompressed LZW stream of colour 0."""
    pixels = width * height
    codes, size, bits, out, bit_count = [], 3, 0, bytearray(), 0
    for _at in range(pixels):  # a clear code before every pixel keeps the code size at 3 bits
        codes += [4, 0]
    codes.append(5)  # end of information
    for code in codes:
        bits |= code << bit_count
        bit_count += size
        while bit_count >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            bit_count -= 8
    if bit_count:
        out.append(bits & 0xFF)
    blocks = b"".join(bytes([len(out[i:i + 255])]) + bytes(out[i:i + 255]) for i in range(0, len(out), 255))
    return (b"GIF89a" + struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\x00\x80\x00\xff\xff\xff"
            + b"," + struct.pack("<HHHH", 0, 0, width, height) + b"\x00" + b"\x02" + blocks + b"\x00;")


def vba_project() -> bytes:
    """Stands in for a VBA project: an OLE compound file's signature and header followed by fixed bytes. Excel
    would not run it; backbone only has to copy it byte for byte, which is what the tests check."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
    return header + bytes(range(256)) * 32


def planning_workbook(path: Path, *, with_ideas: bool = True) -> Path:
    """A planning workbook full of Excel features; `path` ending in .xlsm gets a VBA project."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})

    workshops = book.add_worksheet("Workshops")
    workshops.write_row(0, 0, ["ID", "Titel", "Datum", "Tema", "Mural", "Lappar", "Senast synkad", "Poäng"], bold)
    workshops.write_row(1, 0, ["ci2", "Collective Impact 2"])
    workshops.write_datetime(1, 2, dt.datetime(2021, 5, 4), date)
    workshops.write_row(1, 3, ["Struktur", BOARD_URL])
    workshops.write_formula(1, 7, "=1+2+3", None, 6)  # a person's formula, its cached result kept
    workshops.conditional_format("H2:H20", {"type": "data_bar", "data_bar_2010": True})
    workshops.conditional_format("H2:H20", {"type": "icon_set", "icon_style": "3_flags"})
    workshops.set_header("&LPlanering&RSida &P")
    workshops.set_footer("&CBiskopsgården")
    workshops.write_comment("A1", "Fyll i en rad per workshop")

    if with_ideas:
        ideas = book.add_worksheet("Idéer")
        ideas.write_row(0, 0, IDEAS_HEADER, bold)
        ideas.data_validation("L2:L500", {"validate": "list", "source": "=Listor!$A$1:$A$4"})
        ideas.conditional_format("I2:I500", {"type": "data_bar", "data_bar_2010": True})
        ideas.add_sparkline("N1", {"range": "Data!B2:E2"})
        ideas.repeat_rows(0)
        ideas.print_area("A1:L500")
        ideas.set_header("&LPlanering&RSida &P")
        ideas.write_comment("E1", "Texten kommer från tavlan")
        ideas.set_landscape()

    people = book.add_worksheet("Deltagare")
    people.write_row(0, 0, ["Namn", "Organisation", "Workshop"], bold)
    people.write_row(1, 0, ["Karin Berg", "Stadsdelen", "ci2"])

    lists = book.add_worksheet("Listor")
    lists.write_column(0, 0, ["ja", "nej", "kanske", "senare"])

    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["Område", "Q1", "Q2", "Q3", "Q4"], bold)
    for row, name in enumerate(["Skola", "Fritid", "Boende", "Arbete"], 1):
        data.write_row(row, 0, [name, row * 10, row * 12, row * 9, row * 15])
    data.add_table("A7:C10", {"columns": [{"header": "Vem"}, {"header": "Vad"}, {"header": "När"}],
                              "data": [["Karin", "Budget", "maj"], ["Ali", "Lokal", "juni"], ["Eva", "Enkät", "aug"]]})
    data.write_dynamic_array_formula("G2", "=SORT(A2:A5)", None, "Arbete")
    for row, value in enumerate(["Boende", "Fritid", "Skola"], 2):
        data.write_string(row, 6, value)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"categories": "=Data!$A$2:$A$5", "values": "=Data!$B$2:$B$5", "name": "Q1"})
    data.insert_chart("I2", chart)
    data.insert_image("I20", "karta.png", {"image_data": io.BytesIO(png())})
    data.insert_image("N20", "logga.gif", {"image_data": io.BytesIO(gif())})
    data.insert_button("K30", {"caption": "Uppdatera", "width": 90, "height": 24})
    data.insert_textbox("B14", "Obs: siffrorna är preliminära", {"width": 240, "height": 60})
    data.add_sparkline("F2", {"range": "Data!B2:E2"})
    data.write_comment("A1", "Uppdateras varje kvartal")
    data.data_validation("H2:H20", {"validate": "list", "source": "=Listor!$A$1:$A$4"})
    book.define_name("Budgetrader", "=Data!$A$2:$E$5")

    if path.suffix == ".xlsm":
        book.add_vba_project(io.BytesIO(vba_project()), is_stream=True)
    book.close()
    excel_extras(path, with_ideas=with_ideas)
    return path


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_STYLE = "http://schemas.microsoft.com/office/2011/relationships/chartStyle"
CHART_COLORS = "http://schemas.microsoft.com/office/2011/relationships/chartColorStyle"


def excel_extras(path: Path, *, with_ideas: bool) -> None:
    """Parts Excel writes and XlsxWriter does not: custom XML (SharePoint's document properties), printer settings
    of a tab backbone writes (Idéer), and a chart's style and colour parts."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts["customXml/item1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><b:Sources xmlns:b='
                                    b'"http://schemas.openxmlformats.org/officeDocument/2006/bibliography" '
                                    b'SelectedStyle="/APA.XSL"/>')
    parts["customXml/itemProps1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem ds:itemID='
                                         b'"{6B4A2C1E-0000-4000-8000-000000000001}" xmlns:ds="http://schemas.openxmlformats.org/'
                                         b'officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>')
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="' + REL.encode() + b'/customXmlProps" '
        b'Target="itemProps1.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdCustom" Type="' + REL.encode() + b'/customXml" '
                             b'Target="../customXml/item1.xml"/></Relationships>')
    types = [b'<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-'
             b'officedocument.customXmlProperties+xml"/>',
             b'<Override PartName="/xl/charts/style1.xml" ContentType="application/vnd.ms-office.chartstyle+xml"/>',
             b'<Override PartName="/xl/charts/colors1.xml" ContentType="application/vnd.ms-office.chartcolorstyle+xml"/>',
             b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
             b'printerSettings"/>']
    if b'Extension="bin"' in parts["[Content_Types].xml"]:
        types.pop()  # the .xlsm's VBA project declared .bin already; the printer settings get an override
        types.append(b'<Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType="application/vnd.'
                     b'openxmlformats-officedocument.spreadsheetml.printerSettings"/>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", b"".join(types) + b"</Types>")
    parts["xl/charts/style1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cs:chartStyle xmlns:cs='
                                     b'"http://schemas.microsoft.com/office/drawing/2012/chartStyle" id="201"/>')
    parts["xl/charts/colors1.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cs:colorStyle xmlns:cs='
                                      b'"http://schemas.microsoft.com/office/drawing/2012/chartStyle" meth="cycle" id="10"/>')
    parts["xl/charts/_rels/chart1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="' + CHART_STYLE.encode() + b'" Target="style1.xml"/>'
        b'<Relationship Id="rId2" Type="' + CHART_COLORS.encode() + b'" Target="colors1.xml"/></Relationships>')
    if with_ideas:  # Idéer is sheet2: its page setup points at the printer's settings, as Excel saves them
        parts["xl/printerSettings/printerSettings1.bin"] = bytes(range(256)) * 4
        sheet = parts["xl/worksheets/sheet2.xml"]
        assert b'<pageSetup orientation="landscape"/>' in sheet
        parts["xl/worksheets/sheet2.xml"] = sheet.replace(b'<pageSetup orientation="landscape"/>',
                                                          b'<pageSetup orientation="landscape" r:id="rIdPrinter"/>')
        parts["xl/worksheets/_rels/sheet2.xml.rels"] = parts["xl/worksheets/_rels/sheet2.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdPrinter" Type="' + REL.encode() + b'/printerSettings" '
                                 b'Target="../printerSettings/printerSettings1.bin"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
