"""Bad input to the workbook writer: a part too large to inflate is refused before it is read, with one line
naming it; a text longer than an Excel cell holds is cut with a visible marker and said, by --dry-run before any
write and in Synklogg after it."""
from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from contextlib import nullcontext
from pathlib import Path

import pytest
import python_calamine

from sync.adapters.xlsx.workbook_limits import CELL_LIMIT, PART_LIMIT, cut_text
from sync.core.errors import InputError
from tests.fakes.xlsx_corpus import planning_workbook
from tests.integration.test_workbook_in_place import app_for, write_board

LONG = "Lång text om lokal förankring. " * 1400  # 43,400 characters


def test_a_text_longer_than_a_cell_holds_is_cut_with_a_marker_said_before_and_recorded_after(tmp_path):
    write_board(tmp_path, [("n1", "Kort"), ("n2", LONG)])
    plan = planning_workbook(tmp_path / "plan.xlsx")
    before = plan.read_bytes()
    dry = app_for(plan).sync(dry_run=True)
    said = [w for w in dry.warnings if "n2" in w]
    assert len(said) == 1 and "32\u00a0767" in said[0] and "avkortad" in said[0] and "plan.xlsx" in said[0]
    assert plan.read_bytes() == before  # said before any write

    done = app_for(plan).sync()
    assert [w for w in done.warnings if "n2" in w] == said
    book = python_calamine.CalamineWorkbook.from_path(str(plan))
    ideas = book.get_sheet_by_name("Idéer").to_python()
    text = next(r for r in ideas if r[0] == "n2")[ideas[0].index("Text")]
    assert len(text.encode("utf-16-le")) // 2 == CELL_LIMIT and text.endswith("… [avkortad]")
    assert LONG.strip().startswith(text.removesuffix("… [avkortad]"))
    log = book.get_sheet_by_name("Synklogg").to_python()
    assert "n2" in log[-1][log[0].index("Meddelande")] and "avkortad" in log[-1][log[0].index("Meddelande")]


def test_a_cut_counts_what_excel_counts_an_emoji_as_two():
    text = "🎉" * 20_000  # 40,000 UTF-16 units
    cut = cut_text(text)
    assert cut is not None and len(cut.encode("utf-16-le")) // 2 <= CELL_LIMIT and cut.endswith("]")
    assert cut_text("🎉" * 16_000) is None  # 32,000 units: fits


def declare_size(plan: Path, part: str, size: int) -> None:
    """The zip's own records of a part's uncompressed size set to `size` (what a zip bomb declares)."""
    data = bytearray(plan.read_bytes())
    with zipfile.ZipFile(plan) as archive:
        info = archive.getinfo(part)
    struct.pack_into("<L", data, info.header_offset + 22, size)  # the local header's uncompressed size
    central = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        extra, comment = struct.unpack_from("<HH", data, central + 30)
        if data[central + 46: central + 46 + name_length] == part.encode():
            struct.pack_into("<L", data, central + 24, size)
            break
        central += 46 + name_length + extra + comment
    plan.write_bytes(bytes(data))


@pytest.mark.subprocess
def test_a_part_larger_than_the_limit_is_refused_before_it_is_inflated_with_one_line(tmp_path):
    write_board(tmp_path, [("n1", "Kort")])
    plan = planning_workbook(tmp_path / "plan.xlsx")
    (tmp_path / "settings.env").write_text(f"BACKBONE_SHEET=xlsx:{plan}\nBACKBONE_BOARDS=files:{tmp_path / 'boards'}\n"
                                           f"BACKBONE_STATE={tmp_path / 'state.sqlite3'}\n", "utf-8")
    declare_size(plan, "xl/worksheets/sheet5.xml", 3 * 1024**3)
    kept = plan.read_bytes()
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "--settings", str(tmp_path / "settings.env"), "sync"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("backbone: fel: ") and "xl/worksheets/sheet5.xml" in line
    assert "3\u00a0072 MB" in line and f"{PART_LIMIT // 2**20} MB" in line
    assert plan.read_bytes() == kept


def test_a_package_the_writer_cannot_copy_faithfully_is_said_by_dry_run_and_refused_with_one_line(tmp_path):
    write_board(tmp_path, [("n1", "Kort")])
    plan = planning_workbook(tmp_path / "plan.xlsx")
    with zipfile.ZipFile(plan) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(plan, "w", zipfile.ZIP_DEFLATED) as doubled:  # one part twice: which one is meant is unknowable
        for info, data in [*parts, parts[-1]]:
            with pytest.warns(UserWarning, match="Duplicate name") if info is parts[-1][0] and \
                    info.filename in doubled.namelist() else nullcontext():
                doubled.writestr(info, data)
    kept = plan.read_bytes()
    dry = app_for(plan).sync(dry_run=True)
    assert any("kan inte skriva direkt i den här arbetsboken (en del finns två gånger)" in w for w in dry.warnings)
    with pytest.raises(InputError, match="en del finns två gånger"):
        app_for(plan).sync()
    assert plan.read_bytes() == kept
