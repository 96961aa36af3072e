"""Did a positional write land in the rows it was planned for? And if not, what puts it right. Pure.

Google Sheets writes by A1 position, and a person can insert, delete or sort rows (or insert a column)
between our read and the moment Google applies the write. Each tab is therefore written as one block from
A1 with JSON nulls in the cells we do not write (nulls leave a cell as it is), and Google answers with
the block as it stands right after our write (includeValuesInResponse). From that answer:

- the header row and the ID column tell whether every row and column was where the read saw it;
- if not, every cell we wrote is looked up by (row ID, column header): a cell that landed in another
  row or column is restored to what the read held there, the value is written to its own ID's row, and
  a row our new rows overwrote is written back at the end; a row a person deleted stays deleted.

See docs/architecture.md, "The sheet holds while people edit it".
"""
from __future__ import annotations

from sync.core.i18n import _
from sync.core.sheet.tabs import normalise_name
from sync.core.sheet.values import CellValue, CellWrite

Rows = list[list[str]]


def _cell(rows: Rows, r: int, c: int) -> str:
    return rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else ""


def _header(rows: Rows, cells: list[CellWrite]) -> list[str]:
    header = list(rows[0]) if rows else []
    for cell in cells:
        if cell.row == 0:
            header += [""] * (cell.col + 1 - len(header))
            header[cell.col] = str(cell.value)
    return header


def _id_col(header: list[str], id_header: str) -> int | None:
    wanted = normalise_name(id_header)
    return next((i for i, h in enumerate(header) if normalise_name(h) == wanted), None)


def landed(read: Rows, cells: list[CellWrite], after: Rows, id_header: str) -> bool:
    """True when the block after the write shows the header and every read row's ID where the read saw them."""
    header = _header(read, cells)
    now = after[0] if after else []
    if any(normalise_name(_cell([now], 0, c)) != normalise_name(h) for c, h in enumerate(header) if h):
        return False
    id_col = _id_col(header, id_header)
    if id_col is None:
        return True  # a tab without IDs (Synklogg): rows are not matched by ID, there is nothing to check
    # An ID we wrote into a read row gives it back to its row (a repair of an overwritten row, intents.py).
    ids_written = {c.row: str(c.value).strip() for c in cells if c.col == id_col and c.row > 0}
    return all(ids_written.get(r, _cell(read, r, id_col).strip()) == _cell(after, r, id_col).strip()
               for r in range(1, len(read)))


def repairs(read: Rows, cells: list[CellWrite], after: Rows, id_header: str, tab: str,
            complete: bool = True) -> tuple[list[CellWrite], list[str]]:
    """(the cells that put the tab right, in the layout of `after`; what could not be put right).
    `complete`: `after` shows the tab to its last row. When rows may go on below it, a row seen nowhere
    may simply be further down: it is reported, never written again (that would make it twice)."""
    header = _header(read, cells)
    id_col = _id_col(header, id_header)
    now_header = after[0] if after else []
    id_now = _id_col(now_header, id_header)
    if id_col is None or id_now is None:
        return [], [f"{tab}: the ID column moved while syncing and could not be found again; check the tab"]
    col_now = {normalise_name(h): i for i, h in enumerate(now_header) if h}

    # What each planned cell means: (row ID, column header) -> value.
    ids_written = {c.row: str(c.value).strip() for c in cells if c.col == id_col and c.row > 0}
    def identity(r: int) -> str:
        return ids_written.get(r) or _cell(read, r, id_col).strip()
    wanted: dict[tuple[str, str], CellValue] = {}
    for c in cells:
        if c.row > 0 and identity(c.row):
            wanted[(identity(c.row), normalise_name(header[c.col]))] = c.value
    read_rows = {identity(r): r for r in range(1, len(read)) if identity(r)}

    # Where the write landed: each planned position held, when Google applied it, the row whose ID is there
    # now -- unless we wrote into that row's ID cell ourselves. Then it was a new row's slot (blank), or,
    # when a column moved, the row the read saw there, as long as its ID shows up nowhere else.
    wrote_at = {(c.row, c.col) for c in cells}
    overwritten_ids = {r for r, c in wrote_at if c == id_now and r > 0}
    seen = {_cell(after, r, id_now).strip() for r in range(1, len(after)) if r not in overwritten_ids}

    def occupant(r: int) -> str | None:
        if r not in overwritten_ids:
            return _cell(after, r, id_now).strip()
        if r < len(read) and identity(r) and identity(r) not in seen:
            return identity(r)
        return None  # a new row's slot
    slots = {r for r in overwritten_ids if occupant(r) is None}
    fixes: dict[tuple[int, int], CellValue] = {}
    warnings: list[str] = []
    for c in cells:
        if c.row == 0:
            continue
        name = normalise_name(_cell([now_header], 0, c.col))
        if c.row in slots:
            if _cell(after, c.row, id_now).strip() != identity(c.row):
                fixes[(c.row, c.col)] = ""  # the new row landed askew in a blank row: cleared, written again below
            continue
        who = occupant(c.row)
        if (who, name) == (identity(c.row), normalise_name(header[c.col])):
            continue
        if who is not None and (who, name) in wanted:
            fixes[(c.row, c.col)] = wanted[(who, name)]
        elif who in read_rows and name in {normalise_name(h) for h in header}:
            fixes[(c.row, c.col)] = _cell(read, read_rows[who], [normalise_name(h) for h in header].index(name))
        elif not who or not name:
            fixes[(c.row, c.col)] = ""  # a blank row or column a person inserted: it held nothing
        else:
            warnings.append(_("{tab}: a cell of row {row} ({column}) was overwritten while a person edited the tab; check "
                              "it").format(tab=tab, row=who, column=name))

    # Rows now in the block, by ID (a slot holds the new row we wrote when its ID landed in the ID column).
    where: dict[str, int] = {}
    for r in range(1, len(after)):
        if r in slots:
            rid = identity(r) if _cell(after, r, id_now).strip() == identity(r) else ""
        else:
            rid = occupant(r) or ""
        if rid and rid not in where:
            where[rid] = r
    end = max((r for r in range(1, len(after)) if any(x.strip() for x in after[r])), default=0) + 1
    end = max(end, max((r for r, _ in fixes), default=0) + 1)
    # Read rows seen nowhere. Rows a person inserted above push the tail of the table into our new rows'
    # slots, in order: unseen rows after the last seen one were overwritten there, and are written again in
    # full at the end (their people's cells left in the slot are cleared). An unseen row before a seen one
    # was deleted by a person meanwhile, and stays deleted.
    last_seen = max((read_rows[rid] for rid in where if rid in read_rows), default=0)
    unseen = [rid for rid, r in read_rows.items() if rid not in where and r > last_seen]
    if unseen and not complete:
        warnings.append(_("{tab}: rows moved further down than the check could see while syncing ({rows}); run the sync "
                          "again").format(tab=tab, rows=", ".join(unseen[:3]) + (", ..." if len(unseen) > 3 else "")))
        unseen = []
    landed_slots = sorted(r for r in slots if _cell(after, r, id_now).strip() == identity(r))
    for rid, slot in zip(unseen, landed_slots):
        for col, h in enumerate(now_header):
            if (slot, col) not in wrote_at and _cell(after, slot, col).strip() and h in header and \
                    _cell(after, slot, col) == _cell(read, read_rows[rid], header.index(h)):
                fixes[(slot, col)] = ""
    for rid in unseen:
        r = read_rows[rid]
        row = end
        end += 1
        where[rid] = row
        for col, h in enumerate(header):
            value = wanted.get((rid, normalise_name(h)), _cell(read, r, col))
            if normalise_name(h) in col_now and value != "":
                fixes[(row, col_now[normalise_name(h)])] = value
    for (rid, name), value in wanted.items():
        if rid not in where and (not complete or rid in read_rows):
            continue  # further down (said above), or deleted by a person meanwhile
        if rid not in where or name not in col_now:
            if rid not in where:
                where[rid] = end
                end += 1
            if name not in col_now:
                warnings.append(_("{tab}: the column {column!r} is gone; its value for {row} was not written").format(
                    tab=tab, column=name, row=rid))
                continue
        r, col = where[rid], col_now[name]
        if (r, col) not in fixes and str(_cell(after, r, col)) != str(value):
            fixes[(r, col)] = value
    return [CellWrite(tab, r, c, v) for (r, c), v in sorted(fixes.items())], warnings
