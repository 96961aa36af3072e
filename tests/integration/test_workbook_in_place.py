"""A sync writes a workbook in place: the cells it writes, the tabs it adds and the package bookkeeping a new
tab needs change; every other part of the file stays byte for byte. Run on workbooks full of Excel features
(tests/fakes/xlsx_corpus.py, made with XlsxWriter), each synced twice, and what backbone wrote is read back
with calamine and with LibreOffice (a real client opens the file)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import python_calamine

from sync.bootstrap import Backbone
from sync.settings import Settings
from tests.fakes.xlsx_corpus import BOARD_ID, FEATURES, planning_workbook

NOTES = [("n1", "Relationsbyggande"), ("n2", "Budget & \"lokaler\" > 5"), ("n3", '=HYPERLINK("http://x","y")'),
         ("n4", "  rader\nmed radbrytning  ")]


def widgets(notes) -> list[dict]:
    out = [{"id": "ex", "type": "area", "title": "Övning 1", "x": 0, "y": 0, "width": 3000, "height": 2000},
           {"id": "g", "type": "area", "title": "Lokal förankring", "x": 0, "y": 100, "width": 2000, "height": 1500,
            "parentId": "ex"}]
    for i, (note_id, text) in enumerate(notes):
        out.append({"id": note_id, "type": "sticky note", "text": text, "x": 10 + 150 * i, "y": 10, "width": 138,
                    "height": 138, "parentId": "g", "createdOn": 1620115200000})
    return out


def write_board(place: Path, notes) -> None:
    (place / "boards").mkdir(exist_ok=True)
    (place / "boards" / f"{BOARD_ID}.json").write_text(json.dumps({"value": widgets(notes)}, ensure_ascii=False), "utf-8")


def app_for(plan: Path) -> Backbone:
    settings = Settings(sheet=f"xlsx:{plan}", boards=f"files:{plan.parent / 'boards'}",
                        state=str(plan.parent / "var" / "state.sqlite3"), reports_dir=str(plan.parent / "reports"))
    return Backbone(settings, clock=lambda: dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC))


def parts(plan: Path) -> dict[str, tuple[bytes, int, int, int]]:
    """Each part: (its bytes, CRC, compressed size, compression method)."""
    with zipfile.ZipFile(plan) as archive:
        return {i.filename: (archive.read(i.filename), i.CRC, i.compress_size, i.compress_type) for i in archive.infolist()}


def sheet_parts(plan: Path) -> dict[str, str]:
    """Tab title -> its worksheet part, from the package's own workbook.xml and rels."""
    from sync.adapters.xlsx.xlsx_write import WorkbookEdit
    return WorkbookEdit(plan, plan.read_bytes()).tabs


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


# Module-scoped: the tests only read the synced workbook and its parts, so the corpus is built and synced
# twice once per kind, not once per test (some forty of them).
@pytest.fixture(scope="module", params=["plan.xlsx", "plan.xlsm"])
def plan(tmp_path_factory, request) -> Path:
    place = tmp_path_factory.mktemp("plan")
    write_board(place, NOTES)
    return planning_workbook(place / request.param)


@pytest.fixture(scope="module")
def synced(plan: Path):
    """The corpus workbook's parts before, after a first sync (new notes, new tabs) and after a second (nothing new)."""
    original = parts(plan)
    first = app_for(plan).sync()
    assert first.counts()["new"] == len(NOTES), first.failures
    once = parts(plan)
    second = app_for(plan).sync()
    assert second.counts() == {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}
    return plan, original, once, parts(plan)


def test_the_first_sync_touches_only_its_tabs_and_the_bookkeeping_a_new_tab_needs(synced):
    plan, original, once, _twice = synced
    tabs = sheet_parts(plan)
    new_tabs = {tabs[t] for t in ("Åtgärder", "Synklogg")}
    assert new_tabs.isdisjoint(original)
    allowed = {tabs["Workshops"], tabs["Idéer"], *new_tabs, "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "[Content_Types].xml", "xl/styles.xml"}
    assert changed(original, once) <= allowed
    assert changed(original, once) >= {tabs["Workshops"], tabs["Idéer"], *new_tabs}
    for name in set(original) - allowed:  # byte for byte, and even compressed the same way
        assert once[name] == original[name], name


def test_a_second_sync_with_nothing_new_writes_only_its_synklogg_row(synced):
    plan, _original, once, twice = synced
    assert changed(once, twice) == {sheet_parts(plan)["Synklogg"]}


@pytest.mark.parametrize("feature", list(FEATURES))
def test_each_excel_feature_is_kept(synced, feature):
    plan, original, _once, twice = synced
    prefixes, snippets = FEATURES[feature]
    if feature.endswith("(.xlsm)") and plan.suffix != ".xlsm":  # an .xlsx has none, and gets none
        assert not [name for name in {*original, *twice} if name.startswith(prefixes)]
        return
    held = [name for name in original if name.startswith(prefixes)] if prefixes else []
    assert bool(held) == bool(prefixes), f"the corpus lacks {feature}"
    for name in held:
        assert twice[name] == original[name], name
    for snippet in snippets:  # in the XML of the tabs and the workbook part, rewritten or not
        for tabs in (original, twice):
            xml = b"".join(tabs[name][0] for name in sorted(tabs) if name.startswith("xl/worksheets/sheet")
                           or name == "xl/workbook.xml").decode()
            assert snippet in xml, ("the corpus lacks " if tabs is original else "lost: ") + snippet


def ideas_by_id(rows: list[list]) -> dict[str, dict]:
    header = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(header, r)) for r in rows[1:] if r and r[0]}


def test_what_backbone_wrote_reads_back_with_calamine(synced):
    plan = synced[0]
    book = python_calamine.CalamineWorkbook.from_path(str(plan))
    ideas = ideas_by_id(book.get_sheet_by_name("Idéer").to_python())
    assert {k: ideas[k]["Text"] for k in ideas} == dict(NOTES) | {"n4": "rader\nmed radbrytning"}
    workshops = book.get_sheet_by_name("Workshops").to_python()
    assert workshops[1][7] == 6  # a person's formula's cached result, still there for readers that do not calculate
    assert workshops[1][workshops[0].index("Lappar")] == len(NOTES)
    log = book.get_sheet_by_name("Synklogg").to_python()
    assert log[0][:3] == ["Start", "Slut", "Resultat"] and len(log) == 3


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH; apt-get install "
                                                            "libreoffice-calc-nogui")
def test_what_backbone_wrote_reads_back_in_libreoffice(synced, tmp_path):
    plan = synced[0]
    out = tmp_path / "csv"
    profile = tmp_path / "profile"
    # Every tab to its own CSV file (LibreOffice 7.2 and later: the last token, -1), UTF-8 (76).
    done = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                           "--outdir", str(out), str(plan)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    def tab(title: str) -> list[list[str]]:
        with open(out / f"{plan.stem}-{title}.csv", encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))
    ideas = ideas_by_id(tab("Idéer"))
    assert {k: ideas[k]["Text"] for k in ideas} == dict(NOTES) | {"n4": "rader\nmed radbrytning"}
    workshops = tab("Workshops")
    assert workshops[1][7] == "6" and workshops[1][workshops[0].index("Lappar")] == str(len(NOTES))
    assert tab("Synklogg")[0][:3] == ["Start", "Slut", "Resultat"]
    assert tab("Data")[1][:2] == ["Skola", "10"]  # people's tab, untouched
