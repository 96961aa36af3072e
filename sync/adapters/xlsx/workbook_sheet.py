"""The local .xlsx workbook backend: the embedded default.

Read once (calamine), then write in place: only the cells the sync writes change, in the sheet XML of the tabs
it writes, and every other part of the file (other tabs, pictures, charts, pivots, VBA, cached formula results)
is copied byte for byte (xlsx_write.py, xlsx_package.py). The result goes to a temporary file renamed over the
original, so the workbook is never left half-written. Right before the rename the file is compared with what
was read (size, mtime, content hash): a save that landed meanwhile (Excel, LibreOffice, a Dropbox client)
raises SheetChanged and the run reads and plans again. A symlinked workbook is written through to its target.
Text is stored as text (an inline string), never as a formula.
"""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import tempfile
import time
from pathlib import Path

from sync.adapters.request_stats import SheetStats
from sync.adapters.xlsx.workbook_limits import check_package, cut_text
from sync.adapters.xlsx.xlsx_read import UNREADABLE, read_with_calamine, read_with_openpyxl, unreadable
from sync.adapters.xlsx.xlsx_write import WorkbookEdit
from sync.core.errors import ConfigError, InputError, ServiceError, SheetInUse
from sync.core.i18n import N_, _
from sync.core.sheet.guides import sheet_guides
from sync.core.sheet.tabs import WORKSHOPS, find_tab, normalise_name
from sync.ports import CellValue, CellWrite, SheetBackend, SheetChanged, SheetValues, SheetWrite

log = logging.getLogger(__name__)

UNWRITABLE = (OSError,)


def _reading(method):
    """The workbook's cells are parsed as they are read: a damaged part fails there, not at opening."""
    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREADABLE as exc:
            raise unreadable(self.path, exc) from None
    return read


STALE_AFTER = 60.0  # seconds: an older temporary file beside the workbook is a killed run's, never a live writer's


Fingerprint = tuple[int, int, str]  # size, mtime_ns, sha256 of the bytes


class WorkbookSheet(SheetBackend):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(self.path)
        self.stats = SheetStats()
        self._read_print: Fingerprint | None = None
        self._read_values: SheetValues = {}
        self._read_data: bytes | None = None

    @property
    def target(self) -> Path:
        """The real file: a symlinked workbook is written through to what it points at."""
        return self.path.resolve()

    def _bytes(self) -> tuple[bytes, Fingerprint]:
        if not self.path.is_file():
            raise ConfigError(_("{path}: the workbook does not exist; make it with `backbone init`, or check BACKBONE_SHEET "
                                "(xlsx:PATH)").format(path=self.path))
        try:
            with open(self.target, "rb") as handle:
                info = os.fstat(handle.fileno())
                data = handle.read()
        except PermissionError:
            raise InputError(_("{path}: permission denied; check the file's owner and rights").format(path=self.path)) from None
        return data, (info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def fingerprint(self) -> Fingerprint | None:
        """Size, mtime and content hash of the file now (None when unreadable): what tells a change."""
        return self._fingerprint()

    def _fingerprint(self) -> Fingerprint | None:
        try:
            return self._bytes()[1]
        except (ConfigError, InputError, OSError):
            return None

    @_reading
    def read(self) -> SheetValues:
        data, self._read_print = self._bytes()
        check_package(self.path, data)  # a part too large to inflate is refused before calamine inflates it
        values = read_with_calamine(data)
        if values is None:
            values = read_with_openpyxl(self.path, data)
        self.stats.reads += 1
        self._read_values = values
        self._read_data = data
        return values

    def create(self, first_tab: str) -> bool:
        """An empty .xlsx with one empty tab, when there is no file; never over an existing one (opened with O_EXCL)."""
        if self.path.exists():
            return False
        import openpyxl  # here: only `backbone init` makes a workbook

        book = openpyxl.Workbook()
        book.active.title = first_tab
        data = io.BytesIO()
        book.save(data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(self.path, "xb") as handle:
                handle.write(data.getvalue())
        except FileExistsError:  # made meanwhile by someone else: theirs stands
            return False
        return True

    def read_workshops(self) -> SheetValues:
        """The Workshops tab alone, without converting every other tab (the run reads them all next)."""
        data = self._bytes()[0]
        check_package(self.path, data)
        values = read_with_calamine(data, lambda titles: find_tab(WORKSHOPS, titles))
        return super().read_workshops() if values is None else values

    def _lock_file(self) -> Path | None:
        """Excel (~$name) and LibreOffice (.~lock.name#) leave these beside a workbook they have open."""
        for folder, name in {(p.parent, p.name) for p in (self.path, self.target)}:
            for lock in (f"~${name}", f".~lock.{name}#"):
                if (folder / lock).exists():
                    return folder / lock
        return None

    def losses(self, write: SheetWrite) -> list[str]:
        """What the write cannot keep as it is, said before any write: a text longer than a cell holds is cut, and
        a package the in-place writer refuses (encrypted, Zip64, a tab naming no part) would not be written."""
        refused = []
        if self._read_data is not None and not write.is_empty():
            try:
                WorkbookEdit(self.path, self._read_data).package.close()
            except InputError as exc:
                refused.append(str(exc))
            except UNREADABLE as exc:
                refused.append(str(unreadable(self.path, exc)))
        return refused + [line for _cell, _text, line in self._cuts(write)]

    def _cuts(self, write: SheetWrite) -> list[tuple[CellWrite, str, str]]:
        cuts = []
        for cell in write.cells:
            if isinstance(cell.value, str) and (text := cut_text(cell.value)) is not None:
                cuts.append((cell, text, _("{path}: {tab}, {row}: the text is {count} characters long, more than the "
                                           "32,767 a cell holds in Excel; it is cut, ending in {marker!r}").format(
                    path=self.path.name, tab=cell.tab, row=self._row_name(write, cell), count=f"{len(cell.value):,}".replace(",", "\u00a0"),
                    marker=_("… [truncated]"))))
        return cuts

    def _row_name(self, write: SheetWrite, cell: CellWrite) -> str:
        """The row's ID (the note's) when the tab has an ID column, else its row number."""
        rows = self._read_values.get(cell.tab, [])
        header = list(rows[0]) if rows else []
        for c in write.cells:
            if c.tab == cell.tab and c.row == 0:
                header += [""] * (c.col + 1 - len(header))
                header[c.col] = str(c.value)
        id_col = next((i for i, h in enumerate(header) if normalise_name(h) == "id"), None)
        if id_col is not None:
            written = next((str(c.value) for c in write.cells if (c.tab, c.row, c.col) == (cell.tab, cell.row, id_col)), None)
            if written is None and cell.row < len(rows) and id_col < len(rows[cell.row]):
                written = rows[cell.row][id_col]
            if written:
                return written
        return _("row {row}").format(row=cell.row + 1)

    def in_use(self) -> SheetInUse | None:
        lock = self._lock_file()
        if lock is None:
            return None
        return SheetInUse(_("{path}: the workbook is open in Excel or LibreOffice ({lock}); close it and run again").format(
            path=self.path, lock=lock.name), lock.name)

    def apply(self, write: SheetWrite) -> None:
        if write.is_empty():
            return
        held = self.in_use()
        if held is not None:
            raise held
        self._remove_stale_temporaries()
        data, now = self._bytes()
        if self._read_print is not None and now != self._read_print:
            raise SheetChanged(str(self.path))
        try:
            edit = self._edit(data, write)
        except UNREADABLE as exc:
            raise unreadable(self.path, exc) from None
        self._save_and_swap(edit)
        for _cell, _text, line in self._cuts(write):
            self.warn(line)
        self.stats.writes += 1
        self.stats.cells_written += len(write.cells)
        self._read_print = self._fingerprint()

    def _edit(self, data: bytes, write: SheetWrite) -> WorkbookEdit:
        """The write made in the package's XML, in memory: nothing is on disk yet."""
        edit = WorkbookEdit(self.path, data)
        cut = {(c.tab, c.row, c.col): text for c, text, _line in self._cuts(write)}
        for title in write.new_tabs:
            edit.add_tab(title)
        new = set(write.new_tabs)
        header = edit.header_style() if any(c.tab in new and c.row == 0 for c in write.cells) else None
        rows: dict[tuple[str, int], dict[int, tuple[CellValue, int | None]]] = {}
        for change in write.cells:  # by row: each row's cells are looked at once
            value = cut.get((change.tab, change.row, change.col), change.value)
            rows.setdefault((change.tab, change.row), {})[change.col] = (
                value, header if change.tab in new and change.row == 0 else None)
        for (tab, row), cells in rows.items():
            edit.sheet(tab).set_row(row, cells)
        self._add_guides(edit, write)
        edit.finish()
        return edit

    def _add_guides(self, edit: WorkbookEdit, write: SheetWrite) -> None:
        """A frozen header row and the Status dropdown, each only where missing, on the tabs this write touches
        (a tab the sync does not write is never opened)."""
        touched = {c.tab for c in write.cells} | set(write.new_tabs)
        for guide in sheet_guides(self._read_values, write):
            if guide.title not in touched or guide.title not in edit.tabs:
                continue
            sheet = edit.sheet(guide.title)
            sheet.freeze_header()
            if guide.status_column is None or sheet.has_validation(guide.status_column):
                continue
            choices = [c for c in guide.status_choices if "," not in c and '"' not in c]
            listed = '"' + ",".join(choices) + '"'
            if len(listed) > 255:  # Excel's limit for a list typed into the rule
                continue
            sheet.add_list_validation(guide.status_column, listed)

    def _temporaries(self) -> list[Path]:
        target = self.target
        return list(target.parent.glob(f".{target.name[:40]}.*.tmp"))

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of runs killed mid-save (kill -9, power loss) would otherwise stay forever."""
        limit = time.time() - STALE_AFTER
        for path in self._temporaries():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass  # gone meanwhile, or not ours to remove

    def _refused(self) -> SheetInUse:
        return SheetInUse(_("{path}: the workbook could not be replaced (permission denied): it may be open in Excel, "
                            "or the folder is not writable; close it, or check the folder's rights, and run "
                            "again").format(path=self.path), _("permission denied"))

    def _save_and_swap(self, edit: WorkbookEdit) -> None:
        """Save beside the real file, then rename over it only if it is still what was read."""
        target = self.target
        keep = target.stat().st_mode & 0o777
        try:
            handle, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
        except PermissionError:
            raise self._refused() from None
        os.close(handle)
        temporary = Path(name)
        try:
            _save(edit, temporary)
            os.chmod(temporary, keep)
            with open(temporary, "rb+") as written:
                os.fsync(written.fileno())
            if self._fingerprint() != self._read_print:  # compare-and-swap: a save landed during ours
                raise SheetChanged(str(self.path))
            _swap(temporary, target)
        except PermissionError:  # Windows refuses to replace a file Excel has open; elsewhere a folder not writable
            raise self._refused() from None
        except UNWRITABLE as exc:
            log.warning(N_("saving %s failed: %s"), self.path, getattr(exc, "strerror", None) or type(exc).__name__)
            raise ServiceError(_("{path}: could not save the workbook (the disk may be full, or the folder not "
                                 "writable); it is unchanged").format(path=self.path)) from None
        finally:
            temporary.unlink(missing_ok=True)


def _save(edit: WorkbookEdit, path: Path) -> None:
    edit.package.save(path)


def _swap(temporary: Path, target: Path) -> None:
    os.replace(temporary, target)
