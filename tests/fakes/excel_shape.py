"""A workbook in the shape Excel (and Google Sheets' .xlsx download) saves it: text in a shared-strings table
(xl/sharedStrings.xml) that every text cell points into by number. openpyxl, which writes our workbooks, keeps
text inline in each cell instead, so tests of a workbook a person saved from Excel need this shape made."""
from __future__ import annotations

import io
import re
import zipfile

INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def as_excel_saves_it(data: bytes) -> bytes:
    """The same workbook with its inline text moved into xl/sharedStrings.xml, as Excel writes it."""
    strings: dict[str, int] = {}
    uses = 0

    def shared(match: re.Match) -> str:
        nonlocal uses
        uses += 1
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{index}</v></c>'

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name).decode("utf-8")
            if name.startswith("xl/worksheets/"):
                part = INLINE.sub(shared, part)
            elif name == "[Content_Types].xml":
                part = part.replace("</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_TYPE}"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels":
                part = part.replace("</Relationships>",
                                    f'<Relationship Type="{SHARED_REL}" Target="sharedStrings.xml" Id="rIdShared"/></Relationships>')
            target.writestr(name, part)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
        target.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                                f'<sst xmlns="{MAIN}" count="{uses}" uniqueCount="{len(strings)}">{items}</sst>')
    return out.getvalue()
