"""`backbone init`: a planning sheet from scratch, with every tab, header and guide.

A local workbook is made first when missing (by the backend: SheetBackend.create); everything else
(the other tabs, the header rows, the frozen headers and the Status drop-down) goes through the backend's own
writer as a SheetWrite, as a sync's new tabs do, so both backends get the same sheet. A Google spreadsheet
must exist and be shared (Google makes spreadsheets, not backbone): its missing tabs are added.

Nothing people typed is ever touched: a workbook that already holds anything is refused, and in a Google
spreadsheet only missing tabs are added and only empty tabs get a header row.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sync.core.errors import InputError
from sync.core.i18n import _
from sync.core.sheet.tabs import ACTIONS, ATTENDEES, IDEAS, SYNC_LOG, WORKSHOPS, TabSchema, find_tab, normalise_name
from sync.ports import CellWrite, SheetBackend, SheetValues, SheetWrite

# The tabs a new sheet starts with, in the order people meet them. Konflikter is made with its first row.
INIT_TABS: tuple[TabSchema, ...] = (WORKSHOPS, IDEAS, ACTIONS, ATTENDEES, SYNC_LOG)


@dataclass(frozen=True)
class Initialised:
    created: bool  # a new workbook file was made
    added: tuple[str, ...]  # tabs added
    headed: tuple[str, ...]  # tabs that existed empty and got their header row
    tabs: tuple[str, ...] = ()  # both, in the order of INIT_TABS


def has_data(values: SheetValues) -> bool:
    """Anything beyond header rows: a cell below the first row of a tab, or a first row that is no header of ours."""
    for title, rows in values.items():
        schema = next((s for s in INIT_TABS if find_tab(s, [title]) == title), None)
        headers = {normalise_name(n) for c in schema.columns for n in (c.header, *c.aliases)} if schema else set()
        if any(cell.strip() for row in rows[1:] for cell in row):
            return True
        if rows and any(cell.strip() and normalise_name(cell) not in headers for cell in rows[0]):
            return True
    return False


def init_write(values: SheetValues) -> tuple[SheetWrite, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(the write, tabs added, empty tabs given headers, both in order): every tab of INIT_TABS with its header row."""
    titles = list(values)
    new_tabs: list[str] = []
    headed: list[str] = []
    touched: list[str] = []
    cells: list[CellWrite] = []
    for schema in INIT_TABS:
        title = find_tab(schema, titles)
        if title is None:
            title = schema.title
            new_tabs.append(title)
        elif any(cell.strip() for row in values[title] for cell in row):
            continue  # people's tab: sync adds the columns it needs
        else:
            headed.append(title)
        touched.append(title)
        cells += [CellWrite(title, 0, col, column.header) for col, column in enumerate(schema.columns)]
    return SheetWrite(new_tabs=tuple(new_tabs), cells=tuple(cells)), tuple(new_tabs), tuple(headed), tuple(touched)


def refused(path: Path) -> InputError:
    return InputError(_("{path}: the workbook exists already and holds data; backbone init never overwrites a "
                        "workbook: run `backbone sync` on it (it adds the tabs and columns it needs), or set "
                        "BACKBONE_SHEET to a new file").format(path=path))


def initialise(sheet: SheetBackend, *, refuse_data: bool = False) -> Initialised:
    """Give `sheet` every tab with its header and guides, made first when the backend can and it is missing.
    `refuse_data`: a local workbook that already holds anything is refused (a Google spreadsheet gets its missing tabs)."""
    created = sheet.create(WORKSHOPS.title)
    if not created and refuse_data and has_data(sheet.read()):
        raise refused(Path(sheet.name))
    write, added, headed, touched = init_write(sheet.read())
    sheet.apply(write)
    return Initialised(created, added, headed, touched)
