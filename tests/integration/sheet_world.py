"""A shared sheet people edit while a sync writes it: the example plan on a Google fake or as a workbook,
a board with changed and new notes, people's values, and the invariants every run must leave behind
(tests/integration/test_sheet_intents.py)."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
PEOPLE = "I sammanfattningen"  # the people's column of Idéer
SYNC_OWNED = ("ID", "Workshop", "Övning", "Grupp", "Text", "Författare", "Ändrad", "På tavlan", "Röster", "Taggar",
              "Kommentarer")


def records(grid: list[list[str]]) -> list[dict[str, str]]:
    header = grid[0]
    return [dict(zip(header, [str(c) for c in r] + [""] * (len(header) - len(r)))) for r in grid[1:]]


def change_board(boards: Path, changed: int = 4, new: int = 2) -> None:
    """`changed` notes get a new text (positional writes into existing rows), `new` notes are added (new rows)."""
    path = next(boards.glob("*.json"))
    pages = json.loads(path.read_text("utf-8"))
    widgets = [w for p in pages for w in p["value"]]
    notes = [w for w in widgets if w.get("type") == "sticky note" and "<p>" in (w.get("htmlText") or "")]
    for note in notes[:changed]:
        note["htmlText"] = note["htmlText"].replace("</p>", " (ändrad)</p>", 1)
    first = notes[0]
    widgets += [dict(first, id=f"0-17000000000{i:02d}", text="", htmlText=f"<p>Ny lapp {i}</p>") for i in range(new)]
    path.write_text(json.dumps([{"value": widgets}], ensure_ascii=False), "utf-8")


def copy_example(where: Path) -> Path:
    shutil.copytree(EXAMPLE, where)
    return where


class People:
    """What people do in the Idéer tab of the fake, at the moment a test chooses; what they wrote, and which rows
    they deleted (those stay deleted)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # row ID -> their value in the people's column
        self.deleted: set[str] = set()

    def mark(self, spreadsheet, ids: list[str]) -> None:
        """People's values in the people's column of these rows (a fake spreadsheet)."""
        grid = spreadsheet.get_values("'Idéer'", "FORMATTED_VALUE").get("values", [])
        col = grid[0].index(PEOPLE)
        for r, row in enumerate(grid):
            if row and row[0] in ids:
                self.values[row[0]] = f"nej ({row[0][-4:]})"
                spreadsheet.update_values(f"'Idéer'!{chr(65 + col)}{r + 1}", [[self.values[row[0]]]], "RAW")

    def act(self, spreadsheet, what: str) -> None:
        sheet = spreadsheet.sheet("Idéer")
        grid = spreadsheet.get_values("'Idéer'", "FORMATTED_VALUE").get("values", [])
        if what == "insert":  # a row under the header, with a person's note in their column
            spreadsheet.batch_update({"requests": [{"insertDimension": {"range": {
                "sheetId": sheet.sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]})
            col = grid[0].index(PEOPLE)
            spreadsheet.update_values(f"'Idéer'!{chr(65 + col)}2", [["en persons rad"]], "RAW")
            self.values["(new row)"] = "en persons rad"
        elif what == "sort":  # by Text, Z to A
            text = grid[0].index("Text")
            spreadsheet.batch_update({"requests": [{"sortRange": {
                "range": {"sheetId": sheet.sheet_id, "startRowIndex": 1, "endRowIndex": len(grid)},
                "sortSpecs": [{"dimensionIndex": text, "sortOrder": "DESCENDING"}]}}]})
        elif what == "delete":  # the second data row
            self.deleted.add(str(grid[2][0]))
            self.values.pop(str(grid[2][0]), None)
            spreadsheet.batch_update({"requests": [{"deleteDimension": {"range": {
                "sheetId": sheet.sheet_id, "dimension": "ROWS", "startIndex": 2, "endIndex": 3}}}]})
        else:
            raise ValueError(what)


def wrong(grid: list[list[str]], expected: dict[str, dict[str, str]], people: People) -> list[str]:
    """Every way the Idéer tab breaks the invariants: a row whose sync-owned cells are not its ID's, a note
    missing or twice, a person's value gone. Empty when all hold."""
    rows = records(grid)
    problems = []
    counts = Counter(r["ID"] for r in rows if r["ID"])
    problems += [f"{i} appears {n} times" for i, n in counts.items() if n > 1]
    problems += [f"{i} is missing" for i in expected if i not in counts and i not in people.deleted]
    problems += [f"{i} was deleted by a person but is back" for i in people.deleted if i in counts]
    theirs = {(h, want.get(h, "")): i for i, want in expected.items() for h in SYNC_OWNED}
    for r in rows:
        want = expected.get(r["ID"])
        if want is None:
            cells = [h for h in SYNC_OWNED if h != "ID" and r.get(h)]
            if cells:
                problems.append(f"a row without ID holds sync's {', '.join(cells)}")
            continue
        bad = [h for h in SYNC_OWNED if r.get(h, "") != want.get(h, "")]
        moved = [f"{h}={r.get(h)!r}" for h in bad if theirs.get((h, r.get(h, ""))) not in (None, r["ID"])]
        if moved:
            problems.append(f"{r['ID']} holds another note's {'; '.join(moved)}")
        if len(moved) < len(bad):
            problems.append(f"{r['ID']} lacks the board's {', '.join(h for h in bad if f'{h}=' not in ' '.join(moved))}")
    by_id = {r["ID"]: r for r in rows}
    for row_id, value in people.values.items():
        if row_id == "(new row)":
            if not any(r.get(PEOPLE) == value and not r["ID"] for r in rows):
                problems.append("the person's new row lost its value")
        elif by_id.get(row_id, {}).get(PEOPLE) != value:
            problems.append(f"{row_id} lost the person's {value!r}")
    return problems


def act_on_workbook(path: Path, people: People, what: str) -> None:
    """What People.act does, in the workbook's Idéer sheet, saved as Excel would (openpyxl)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Idéer"]
    header = [c.value for c in sheet[1]]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    if what == "insert":
        sheet.insert_rows(2)
        sheet.cell(2, header.index(PEOPLE) + 1).value = "en persons rad"
        people.values["(new row)"] = "en persons rad"
    elif what == "sort":
        text = header.index("Text")
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=len(ids) + 1)]
        rows.sort(key=lambda r: str(r[text] or ""), reverse=True)
        for r, values in enumerate(rows, 2):
            for c, value in enumerate(values, 1):
                sheet.cell(r, c).value = value
    elif what == "delete":
        people.deleted.add(str(ids[1]))
        people.values.pop(str(ids[1]), None)
        sheet.delete_rows(3)
    else:
        raise ValueError(what)
    book.save(path)


def mark_workbook(path: Path, people: People, ids: list[str]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Idéer"]
    col = [c.value for c in sheet[1]].index(PEOPLE) + 1
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in ids:
            people.values[row[0].value] = f"nej ({row[0].value[-4:]})"
            sheet.cell(row[0].row, col).value = people.values[row[0].value]
    book.save(path)
