"""The intent log of positional writes, and how a sheet is put right from it. Pure: no I/O.

Before a positional write is sent, every cell it writes is recorded (sync/adapters/sqlite/state_store.py, table `intents`): the tab,
the row and column as addressed, the ID of the row it is meant for, the value, and what the read held there.
A write that got no answer may be applied later, by Google, at the addressed position, into whatever row a
person moved there meanwhile. `reconcile` compares the intents with the sheet as it is now:

1. a row of the read that a new row's write overwrote (its ID gone, one of our new IDs at its place) gets its
   own values back, the new row is written again at the end;
2. a cell that holds a value meant for another ID, which its own row never holds, is a misplacement: it gets its
   row's own value back (the value sync meant for it, else the one it had: `restore`);
3. each intended value whose cell still holds what the read saw there is written to its ID's row now;
4. a new row nowhere in the sheet is written at the end, a new row there twice is cleared where it is ours alone.

A value a person typed over ours afterwards is neither the intended value nor the one before: it stays theirs.
See docs/architecture.md, "A write that got no answer".
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sync.core.i18n import _
from sync.core.sheet.tabs import CONFLICTS, SYNC_LOG, find_tab, normalise_name
from sync.core.sheet.values import LAYOUT, CellWrite, Intent, SheetValues

ID_HEADER = "ID"


@dataclass(frozen=True)
class Repair:
    tab: str
    row_id: str  # the row that got its own value back
    column: str
    restored: str
    misplaced: str  # the value that was there, meant for...
    meant_for: str  # ...this ID


@dataclass
class Reconciled:
    cells: list[CellWrite] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    displaced: set[str] = field(default_factory=set)  # IDs whose values were found in other rows


def _cell(rows: list[list[str]], r: int, c: int) -> str:
    return str(rows[r][c]) if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else ""


def matched_by_id(title: str) -> bool:
    """The log tabs are sync's alone and only appended to; every other tab's rows are matched by ID."""
    return find_tab(SYNC_LOG, [title]) is None and find_tab(CONFLICTS, [title]) is None


def intents_for(cells: list[CellWrite] | tuple[CellWrite, ...], values: SheetValues) -> list[Intent]:
    """What a write means, cell by cell, for the tabs whose rows are matched by ID; plus, where it adds rows,
    the IDs of as many rows at the end of the read (the rows a person's insert could push into the new rows' slots)."""
    by_tab: dict[str, list[CellWrite]] = {}
    for cell in cells:
        if cell.row > 0:
            by_tab.setdefault(cell.tab, []).append(cell)
    by_tab = {tab: tab_cells for tab, tab_cells in by_tab.items() if matched_by_id(tab)}
    out: list[Intent] = []
    for tab, tab_cells in by_tab.items():
        read = values.get(tab, [])
        header = list(read[0]) if read else []
        for cell in (c for c in cells if c.tab == tab and c.row == 0):
            header += [""] * (cell.col + 1 - len(header))
            header[cell.col] = str(cell.value)
        id_col = next((i for i, h in enumerate(header) if normalise_name(h) == normalise_name(ID_HEADER)), None)
        if id_col is None:
            continue
        written_ids = {c.row: str(c.value).strip() for c in tab_cells if c.col == id_col}
        new_rows = set()
        for cell in tab_cells:
            read_id = _cell(read, cell.row, id_col).strip()
            row_id = written_ids.get(cell.row) or read_id  # an ID written into a read row gives the row back to it
            if not row_id:
                continue
            if not read_id:
                new_rows.add(cell.row)
            out.append(Intent(tab, cell.row, row_id, cell.col, header[cell.col] if cell.col < len(header) else "",
                              str(cell.value), _cell(read, cell.row, cell.col), not read_id))
        tail = [r for r in range(1, len(read)) if _cell(read, r, id_col).strip()][-len(new_rows):] if new_rows else []
        out += [Intent(tab, r, _cell(read, r, id_col).strip(), LAYOUT) for r in tail]
    return out


def with_cells(values: SheetValues, cells: list[CellWrite]) -> SheetValues:
    """The sheet as read with `cells` written into it (a copy): what a plan made in the same write sees."""
    if not cells:
        return values
    out = {title: [list(row) for row in rows] for title, rows in values.items()}
    for cell in cells:
        rows = out.setdefault(cell.tab, [])
        rows += [[] for _ in range(cell.row + 1 - len(rows))]
        row = rows[cell.row]
        row += [""] * (cell.col + 1 - len(row))
        row[cell.col] = str(cell.value)
    return out


Restore = Callable[[str, str], str | None]  # (row ID, header) -> what that row's cell should hold; None: unknown


def reconcile(intents: list[Intent], grid: list[list[str]], restore: Restore, *, rewrite: bool) -> Reconciled:
    """The cells that put one tab right (positions in `grid`, the tab as it is now).
    `rewrite`: write every intended value that is not in its row yet (a write whose fate is unknown, in the same
    run); otherwise only the values of rows something was found displaced from (a check in a later run)."""
    out = Reconciled()
    if not intents:
        return out
    tab = intents[0].tab
    header = list(grid[0]) if grid else []
    col_now = {normalise_name(h): i for i, h in enumerate(header) if str(h).strip()}
    id_col = col_now.get(normalise_name(ID_HEADER))
    if id_col is None:
        out.warnings.append(_("{tab}: the ID column could not be found to check a write that got no answer; check the "
                              "tab").format(tab=tab))
        return out
    ids = {r: _cell(grid, r, id_col).strip() for r in range(1, len(grid))}
    rows_of: dict[str, list[int]] = {}
    for r, rid in ids.items():
        if rid:
            rows_of.setdefault(rid, []).append(r)
    cells = [i for i in intents if i.col != LAYOUT]
    wanted = {(i.row_id, normalise_name(i.header)): i.value for i in cells}
    before = {(i.row_id, normalise_name(i.header)): i.base for i in cells}
    fixes: dict[tuple[int, int], str] = {}

    def now(r: int, c: int) -> str:
        return fixes.get((r, c), _cell(grid, r, c))

    def own(row_id: str, name: str, header_text: str) -> str | None:
        if not row_id:
            return ""  # a row without ID (a person's new row) holds nothing of sync's
        if (row_id, name) in wanted:
            return wanted[(row_id, name)]
        return restore(row_id, header_text)

    # 1. Rows of the read overwritten by a new row's write: their IDs are gone, a new ID sits at its own address.
    layout = sorted((i for i in intents if i.col == LAYOUT), key=lambda i: i.row)
    present = [i.row for i in layout if i.row_id in rows_of]
    gone = [i.row_id for i in layout if i.row_id not in rows_of and i.row > max(present, default=0)]
    addresses = {(i.row_id, i.row) for i in cells if i.new}
    slots = sorted((r, rid) for rid, rs in rows_of.items() for r in rs if (rid, r) in addresses)
    for lost, (r, new_id) in zip(gone, slots):
        for i in (c for c in cells if c.row_id == new_id):
            name = normalise_name(i.header)
            if name not in col_now:
                continue
            value = lost if col_now[name] == id_col else restore(lost, i.header)
            if value is None:
                continue
            fixes[(r, col_now[name])] = value
            out.repairs.append(Repair(tab, lost, i.header, value, _cell(grid, r, col_now[name]), new_id))
        rows_of[new_id].remove(r)
        rows_of[lost] = [r]
        ids[r] = lost
        out.displaced.add(new_id)

    # 2. Values meant for one ID found in another's row.
    by_value: dict[tuple[int, str], list[int]] = {}
    for r in range(1, len(grid)):
        for k in range(len(grid[r])):
            by_value.setdefault((k, str(grid[r][k])), []).append(r)
    for i in cells:
        name = normalise_name(i.header)
        if name not in col_now or col_now[name] == id_col:
            continue
        c = col_now[name]
        where = by_value.get((c, i.value), []) if i.value != "" else [i.row]
        for r in where:
            y = ids.get(r, "")
            if y == i.row_id or (r, c) in fixes or now(r, c) != i.value:
                continue
            if y and i.value in {wanted.get((y, name)), before.get((y, name)), restore(y, i.header)}:
                continue  # the row's own value happens to be the same
            if not y and not i.value:
                continue
            value = own(y, name, i.header)
            if value is None:
                out.warnings.append(_("{tab}: a value meant for {id} is in the row of {other} ({column}), whose own value "
                                      "is not known; check it").format(tab=tab, id=i.row_id, other=y, column=i.header))
                continue
            fixes[(r, c)] = value
            out.repairs.append(Repair(tab, y or "", i.header, value, i.value, i.row_id))
            out.displaced.add(i.row_id)

    # 3. Each intended value into its own row, where the row still shows what the read saw (or was just put back).
    missing: list[str] = []
    for i in cells:
        if not (rewrite or i.row_id in out.displaced):
            continue
        rows = rows_of.get(i.row_id)
        if not rows:
            if i.new and i.row_id not in missing:
                missing.append(i.row_id)
            continue
        col = col_now.get(normalise_name(i.header))
        if col is None:
            continue
        r = rows[0]
        if now(r, col) != i.value and (now(r, col) == i.base or (r, col) in fixes):
            fixes[(r, col)] = i.value

    # 4. New rows nowhere: at the end. New rows twice: the copies that are ours alone are cleared.
    end = max([r for r in range(1, len(grid)) if any(str(x).strip() for x in grid[r])] + [r for r, _ in fixes] + [0]) + 1
    for row_id in missing:
        for i in (x for x in cells if x.row_id == row_id):
            col = col_now.get(normalise_name(i.header))
            if col is not None:
                fixes[(end, col)] = i.value
        end += 1
    for row_id, rows in rows_of.items():
        if len(rows) < 2 or not any(i.new and i.row_id == row_id for i in cells):
            continue
        mine = {col_now[normalise_name(i.header)]: i.value for i in cells
                if i.row_id == row_id and normalise_name(i.header) in col_now}
        for r in rows[1:]:
            filled = [c for c in range(len(grid[r])) if now(r, c).strip()]
            if all(c in mine and now(r, c) == str(mine[c]) for c in filled):
                fixes.update({(r, c): "" for c in filled})
            else:
                out.warnings.append(_("{tab}: the note {id} is in the sheet twice and the second copy holds people's "
                                      "values; check it").format(tab=tab, id=row_id))
    out.cells = [CellWrite(tab, r, c, v) for (r, c), v in sorted(fixes.items())]
    return out
