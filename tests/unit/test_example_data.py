"""The bundled example (examples/biskopsgarden) and the unseen-board fixture (tests/data/boards):
well-formed, complete against the published recap, and reproducible by tools/make_example.py.

What the board normaliser makes of the example is checked against a committed expected outline
(tests/data/boards/biskopsgarden.expected.json), itself checked against the recap here. These tests never
write it: after a deliberate change to the board rules, run `.venv/bin/python tools/board_expected.py` and
review the diff against the recap before committing.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from sync.core.board import normalise
from sync.core.sheet.tabs import ACTIONS, ATTENDEES, IDEAS, SYNC_LOG, WORKSHOPS
from sync.core.text import html_to_text, tidy
from sync.settings import load_settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "biskopsgarden"
RECAP = EXAMPLE / "recap-ci2.sv.txt"
BOARD_ID = "biskopsgarden2021.1620111600000"
BOARD = EXAMPLE / "boards" / f"{BOARD_ID}.json"
PLAN = EXAMPLE / "plan.xlsx"
UNSEEN = REPO / "tests" / "data" / "boards" / "unseen_board.json"
UNSEEN_EXPECTED = REPO / "tests" / "data" / "boards" / "unseen_board.expected.json"
EXPECTED = REPO / "tests" / "data" / "boards" / "biskopsgarden.expected.json"
REGENERATE = ".venv/bin/python tools/board_expected.py"
GENERATED = [BOARD, PLAN, EXAMPLE / "settings.env", EXAMPLE / "README.md", UNSEEN, UNSEEN_EXPECTED]
WIDGET_TYPES = {"area", "arrow", "comment", "file", "icon", "image", "shape", "sticky note", "table", "table cell", "text"}


def fold(text: str) -> str:
    return " ".join(text.split())


# --- the recap ---------------------------------------------------------------------------------

def parse_recap(text: str) -> dict:
    """Exercise titles, groups (title, description, bullets), actions (title, how, when, who), intro list."""
    lines = [fold(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    ex1 = next(i for i, line in enumerate(lines) if line.startswith("Övning 1."))
    ex2 = next(i for i, line in enumerate(lines) if line.startswith("Övning 2."))
    groups: list[dict] = []
    for line in lines[ex1 + 1:ex2]:
        if line.startswith("•"):
            groups[-1]["bullets"].append(line.lstrip("• ").strip())
        else:
            title, _, rest = line.partition(" (")
            groups.append({"title": title, "description": f"({rest}" if rest else "", "bullets": []})
    actions: list[dict] = []
    fields = {"HUR": "how", "NÄR": "when", "VEM": "who"}
    for line in lines[ex2 + 1:]:
        label = line.split(":")[0]
        if label in fields:
            actions[-1][fields[label]] = line.split(":", 1)[1].strip()
        else:
            actions.append({"title": line, "how": "", "when": "", "who": ""})
    intro = [line for line in lines if re.match(r"\d\. ", line)]
    return {"exercises": (lines[ex1], lines[ex2]), "groups": groups, "actions": actions, "intro": intro}


@pytest.fixture(scope="module")
def recap() -> dict:
    return parse_recap(RECAP.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages() -> list:
    return json.loads(BOARD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def widgets(pages) -> list[dict]:
    return [w for page in pages for w in page["value"]]


def test_the_recap_parses_as_the_seed_describes(recap):
    assert [g["title"] for g in recap["groups"]] == ["Lokal förankring", "Kommunikation", "Behovskartläggning/analys",
                                                     "Styrgrupp/Processgrupp", "Resurser & ekonomi", "Övrigt"]
    assert [len(g["bullets"]) for g in recap["groups"]] == [6, 5, 6, 6, 5, 2]
    assert len(recap["actions"]) == 5 and recap["actions"][3]["how"] == ""
    assert len(recap["intro"]) == 5


# --- reading the raw widgets (no board rules: those are the normaliser's, checked by expected outlines) ----

def widget_text(widget: dict) -> str:
    markup = widget.get("htmlText")
    text = html_to_text(markup) if isinstance(markup, str) and markup.strip() else ""
    return text or tidy(widget.get("text") or "")


def top(by_id: dict[str, dict], widget: dict) -> float:
    """A widget's y on the board: MURAL gives x/y relative to the parent area."""
    y, parent, hops = widget["y"], widget.get("parentId"), 0
    while parent in by_id and hops < 32:
        y, parent, hops = y + by_id[parent]["y"], by_id[parent].get("parentId"), hops + 1
    return y


def depth(by_id: dict[str, dict], widget_id: str) -> int:
    """How many parent areas a widget sits in by its parentId (0: on the board itself)."""
    levels = 0
    while (widget_id := by_id[widget_id].get("parentId")) in by_id and levels < 32:
        levels += 1
    return levels


@pytest.fixture(scope="module")
def example_outline() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


# --- the example board -------------------------------------------------------------------------

def test_board_export_is_paged_like_the_widgets_endpoint(pages, widgets):
    assert isinstance(pages, list) and len(pages) >= 2
    for page in pages[:-1]:
        assert set(page) == {"value", "next"} and isinstance(page["next"], str) and page["next"]
    assert set(pages[-1]) == {"value"}, "the last page has no `next`"
    assert all(0 < len(page["value"]) <= 100 for page in pages)
    ids = [w["id"] for w in widgets]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"0-\d{13}", i) for i in ids)
    assert {w["type"] for w in widgets} <= WIDGET_TYPES
    by_id = {w["id"]: w for w in widgets}
    for w in widgets:
        assert w["parentId"] is None or by_id[w["parentId"]]["type"] == "area"
        assert int(w["id"][2:]) == w["createdOn"] <= w["updatedOn"]
        assert dt.datetime.fromtimestamp(w["createdOn"] / 1000, dt.UTC).date() == dt.date(2021, 5, 4)
        assert w["createdOn"] >= int(BOARD_ID.split(".")[1]), "nothing is older than the board"


def test_every_recap_item_appears_on_the_board(recap, widgets):
    stickies = [fold(widget_text(w)) for w in widgets if w["type"] == "sticky note"]
    areas = [fold(w["title"]) for w in widgets if w["type"] == "area"]
    headings = [fold(widget_text(w)) for w in widgets if w["type"] in ("text", "shape")]
    assert all(title in areas for title in recap["exercises"])
    for group in recap["groups"]:
        assert group["title"] in areas + headings
        for bullet in group["bullets"]:
            assert bullet in stickies, bullet
    for action in recap["actions"]:
        assert action["title"] in areas
        for label, key in (("HUR", "how"), ("NÄR", "when"), ("VEM", "who")):
            if action[key]:
                assert f"{label}: {action[key]}" in stickies
            else:
                assert f"{label}:" in stickies or not any(s.startswith(label) for s in stickies)
    (styrgrupp,) = [w for w in widgets if w["type"] == "area" and w["title"] == "Styrgrupp/Processgrupp"]
    assert html_to_text(styrgrupp["instruction"]) == recap["groups"][3]["description"]


def test_the_expected_outline_holds_the_recap(recap, example_outline):
    """The committed expected outline says what the published recap says, every group, bullet and HUR/NÄR/VEM."""
    first, second = example_outline["exercises"]
    assert (first["title"], second["title"]) == recap["exercises"]
    assert [{"title": g["title"], "description": g["description"], "notes": [n["text"] for n in g["notes"]]}
            for g in first["groups"]] == [{"title": g["title"], "description": g["description"], "notes": g["bullets"]}
                                          for g in recap["groups"]]
    assert second["groups"] == []
    assert [{k: a[k] for k in ("title", "how", "when", "who")} for a in example_outline["actions"]] == recap["actions"]
    assert {a["exercise"] for a in example_outline["actions"]} == {second["title"]}
    assert [n["text"] for n in example_outline["unsorted"]] == ["Parkering: fika nästa gång?"]


def test_the_normaliser_reads_the_board_as_the_expected_outline(example_outline):
    tool = importlib.util.spec_from_file_location("board_expected", REPO / "tools" / "board_expected.py")
    assert tool is not None and tool.loader is not None
    module = importlib.util.module_from_spec(tool)
    tool.loader.exec_module(module)
    got = module.outline(BOARD)
    committed = {k: v for k, v in example_outline.items() if k != "comment"}
    assert got == committed, (
        f"the board normaliser no longer reads {BOARD.relative_to(REPO)} as {EXPECTED.relative_to(REPO)} says. "
        f"If the change is deliberate, run `{REGENERATE}` and check the diff against the recap before committing.")


def test_the_board_has_the_quirks_of_a_real_one(widgets, example_outline):
    by_id = {w["id"]: w for w in widgets}
    stickies = [w for w in widgets if w["type"] == "sticky note"]
    kinds = Counter(w["type"] for w in widgets)
    assert kinds["arrow"] == kinds["comment"] == kinds["image"] == 1
    assert [widget_text(w) for w in stickies if w["hidden"]] == ["Dold lapp"]
    assert any(not widget_text(w) for w in stickies), "an empty sticky"
    assert any(w.get("htmlText") and not w["text"] for w in stickies), "htmlText only"
    assert any("htmlText" not in w for w in stickies), "old-style text only"
    assert any("&amp;" in w.get("htmlText", "") for w in stickies)
    assert any("<br>" in w.get("htmlText", "") and widget_text(w) for w in stickies)
    assert any("alias" in w.get("createdBy", {}) for w in stickies)
    assert any(w["hideOwner"] and "createdBy" not in w for w in stickies)
    assert all(w["tags"] == [] and w["style"]["backgroundColor"].startswith("#") for w in stickies)
    # a board title outside every area
    areas = [w for w in widgets if w["type"] == "area"]
    assert any(w["type"] == "text" and w["parentId"] is None and "Biskopsgården" in w["text"]
               and not any(a["parentId"] is None and a["y"] <= w["y"] <= a["y"] + a["height"]
                           and a["x"] <= w["x"] <= a["x"] + a["width"] for a in areas) for w in widgets)
    # groups drawn as areas and as boxes (with and without a parent)
    (exercise, actions) = example_outline["exercises"]
    group_titles = [g["title"] for g in exercise["groups"]] + [a["title"] for a in example_outline["actions"]]
    assert sum(a["title"] in group_titles for a in areas) == 9
    shapes = [w for w in widgets if w["type"] == "shape"]
    assert len(shapes) == 2 and {s["parentId"] is None for s in shapes} == {True, False}
    # stickies in groups placed with and without a parent
    grouped = {n["text"] for g in exercise["groups"] for n in g["notes"]}
    assert {w["parentId"] is None for w in stickies if widget_text(w) in grouped} == {True, False}
    # rows jitter (less than a quarter sticky) so that sorting by y alone gives a wrong order
    top_of = {widget_text(w): top(by_id, w) for w in stickies}
    jumbled_rows = 0
    for group in exercise["groups"]:
        tops = [top_of[n["text"]] for n in group["notes"]]
        for start in range(0, len(tops), 3):  # rows of three
            row = tops[start:start + 3]
            assert max(row) - min(row) < 138 / 2 and all(abs(t - sum(row) / len(row)) < 138 / 4 for t in row)
            jumbled_rows += row != sorted(row)
    assert jumbled_rows >= 3


# --- the planning workbook and settings --------------------------------------------------------

@pytest.fixture(scope="module")
def plan():
    return openpyxl.load_workbook(PLAN)


def rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_workbook_tabs_and_headers(plan):
    assert plan.sheetnames == ["Workshops", "Deltagare", "Åtgärder", "Idéer", "Synklogg"]
    for schema in (WORKSHOPS, ATTENDEES, ACTIONS, IDEAS, SYNC_LOG):
        sheet = plan[schema.title]
        assert [c.value for c in sheet[1]] == [c.header for c in schema.columns]
        assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])
    assert plan["Synklogg"].max_row == 1, "Synklogg holds only its header"
    # Idéer: only the row a coordinator curated before the first sync (the parking note, left out).
    curated = rows(plan["Idéer"])
    assert [(r["Workshop"], r["Text"], r["I sammanfattningen"]) for r in curated] == [
        ("ci2", "Parkering: fika nästa gång?", "nej")]
    typed = rows(plan["Åtgärder"])  # only the actions people typed for workshops 3 and 4 (no boards)
    assert {r["Workshop"] for r in typed} == {"ci3", "ci4"} and all(r["Status"] for r in typed)


def test_workshops_row_points_at_the_board(plan, recap):
    workshops = {r["ID"]: r for r in rows(plan["Workshops"])}
    assert set(workshops) == {"ci1", "ci2", "ci3", "ci4"}
    ci2 = workshops["ci2"]
    assert (ci2["Titel"], ci2["Tema"]) == ("Collective Impact 2", "Struktur och arbetssätt")
    assert ci2["Datum"] == dt.datetime(2021, 5, 4), "a real date cell"
    match = re.fullmatch(r"https://app\.mural\.co/t/([\w-]+)/m/([\w-]+)/(\d+)/[0-9a-f]{40}", ci2["Mural"])
    assert match and match.group(1) == match.group(2)
    assert f"{match.group(2)}.{match.group(3)}" == BOARD.stem == BOARD_ID
    assert ci2["Mural"].split("/m/")[1].startswith(BOARD_ID.replace(".", "/") + "/")
    intro = ci2["Inledning"].split("\n")
    assert intro[0].startswith("Efter en kort inledning") and intro[0].endswith("framgångsrikt:")
    assert intro[1:] == recap["intro"]
    assert ci2["Bilder"].startswith("https://")
    assert workshops["ci1"]["Datum"] == dt.datetime(2021, 4, 20) and not workshops["ci1"]["Mural"]
    assert workshops["ci1"]["Tema"] == "Mission statement"


def test_participants(plan):
    people = rows(plan["Deltagare"])
    ci2 = [p for p in people if p["Workshop"] == "ci2"]
    assert len(ci2) == 23 and len({p["Namn"] for p in ci2}) == 23
    assert len({p["Organisation"] for p in ci2}) == 20
    assert any(p["Workshop"] == "ci1" for p in people)
    assert all(p["Namn"] and p["Organisation"] for p in people)
    assert any(ch in "".join(p["Namn"] for p in ci2) for ch in "åäöÅÄÖ")


def test_settings_file_loads(tmp_path):
    text = (EXAMPLE / "settings.env").read_text(encoding="utf-8").splitlines()
    keys = [line.split("=")[0] for line in text if "=" in line and not line.startswith("#")]
    assert keys == ["BACKBONE_SHEET", "BACKBONE_BOARDS", "BACKBONE_STATE", "BACKBONE_REPORTS_DIR",
                    "BACKBONE_LANGUAGE", "BACKBONE_ORGANISATION"]
    for i, line in enumerate(text):
        if line.startswith("BACKBONE_"):
            assert text[i - 1].startswith("# "), f"no comment above {line}"
    settings = load_settings(EXAMPLE / "settings.env", environ={}, cwd=tmp_path)
    assert settings.sheet_kind() == ("xlsx", str(PLAN))
    assert Path(settings.boards_kind()[1]) == BOARD.parent
    assert (settings.language, settings.organisation) == ("sv", "Collective Impact Biskopsgården")


# --- the unseen board --------------------------------------------------------------------------

def test_unseen_board_reads_as_its_expected_outline():
    widgets = json.loads(UNSEEN.read_text(encoding="utf-8"))
    expected = json.loads(UNSEEN_EXPECTED.read_text(encoding="utf-8"))
    assert isinstance(widgets, list) and all("type" in w for w in widgets), "a bare list of widgets"
    assert set(expected) == {"comment", "exercises", "actions", "unsorted", "skipped"}
    board = normalise(widgets)
    assert [{"title": e.title, "groups": [{"title": g.title, "notes": [n.text for n in g.notes]} for g in e.groups]}
            for e in board.exercises] == expected["exercises"]
    assert [{"title": a.title, "how": a.how, "when": a.when, "who": a.who} for a in board.actions] == expected["actions"]
    assert [n.text for n in board.unsorted] == expected["unsorted"]
    shown = normalise(widgets, include_hidden=True)
    assert len(shown.notes()) - len(board.notes()) == expected["skipped"]["hidden"] + expected["skipped"]["invisible"]


def test_unseen_board_has_every_quirk():
    widgets = json.loads(UNSEEN.read_text(encoding="utf-8"))
    by_id = {w["id"]: w for w in widgets}
    expected = json.loads(UNSEEN_EXPECTED.read_text(encoding="utf-8"))
    stickies = [w for w in widgets if w["type"] == "sticky note"]
    assert 20 <= len(stickies) <= 35
    # a sticky parented to an area two levels below its exercise
    assert any(w["parentId"] and depth(by_id, w["parentId"]) == 2 for w in stickies)
    # group boxes: one titled by a text at its top, one by its own text
    shapes = [w for w in widgets if w["type"] == "shape"]
    assert any(widget_text(s) for s in shapes) and any(not widget_text(s) for s in shapes)
    # parented to the exercise but inside a group box
    in_titled_groups = {text for e in expected["exercises"] for g in e["groups"] if g["title"] for text in g["notes"]}
    assert any(w["parentId"] and depth(by_id, w["parentId"]) == 0 and widget_text(w) in in_titled_groups for w in stickies)
    markup = " ".join(w.get("htmlText", "") for w in stickies)
    for piece in ("<p>", "<br>", "&amp;", "&lt;", "&gt;"):
        assert piece in markup
    texts = " ".join(widget_text(w) for w in stickies)
    assert re.search("[\u0600-\u06ff]", texts) and re.search("[\U0001F300-\U0001FAFF]", texts)
    assert any(c in texts for c in "åäö")
    assert any(w.get("hidden") for w in stickies) and any(w.get("invisible") for w in stickies)
    assert {"arrow", "comment"} <= {w["type"] for w in widgets}
    assert any(re.fullmatch(r"[0-9a-f-]{36}", i) for i in by_id) and any(i.startswith("0-") for i in by_id)
    authors = [w.get("createdBy") for w in stickies]
    assert None in authors and any(a and "alias" in a for a in authors) and any(a and "id" not in a and "firstName" in a for a in authors)


# --- the generator -----------------------------------------------------------------------------

@pytest.mark.subprocess
def test_generator_reproduces_the_committed_files(tmp_path):
    run = subprocess.run([sys.executable, str(REPO / "tools" / "make_example.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for committed in GENERATED:
        fresh = tmp_path / committed.relative_to(REPO)
        assert fresh.is_file(), fresh
        if committed.suffix == ".xlsx":
            a, b = openpyxl.load_workbook(committed), openpyxl.load_workbook(fresh)
            assert a.sheetnames == b.sheetnames
            for name in a.sheetnames:
                assert list(a[name].values) == list(b[name].values), name
        else:
            assert fresh.read_bytes() == committed.read_bytes(), f"{committed.relative_to(REPO)} is stale: run tools/make_example.py"
