"""The bundled example through the `backbone` command, checked line by line against the seed recap."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from sync.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BOARD = "biskopsgarden2021.1620111600000.json"


def squash(text: str) -> str:
    return " ".join(text.split())


def seed_expectations() -> list[str]:
    """Every group title, bullet, prioritised item and HUR/NÄR/VEM value of the seed recap."""
    lines = (EXAMPLE / "recap-ci2.sv.txt").read_text("utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("Övning 1."))
    wanted = []
    for line in lines[start:]:
        line = squash(line)
        if not line or line.startswith("Övning"):
            continue
        match = re.match(r"^(HUR|NÄR|VEM):\s*(.*)$", line)
        if match:
            wanted.append(f"{match.group(1)}: {match.group(2) or '–'}")
        elif line.startswith("• "):
            wanted.append(line[2:])
        else:
            wanted.append(line.split(" (")[0])  # a group heading; its parenthetical is the group's description
    return wanted


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(squash(p) for p in parts)


@pytest.fixture
def example(tmp_path: Path, monkeypatch) -> Path:
    place = tmp_path / "example"
    shutil.copytree(EXAMPLE, place)
    monkeypatch.chdir(place)  # ./settings.env is read by default
    return place


def test_sync_then_report_reproduces_the_seed_recap(example, capsys):
    assert main(["sync"]) == 0
    assert "Sync ok: 36 new" in capsys.readouterr().out
    assert main(["report", "ci2"]) == 0
    written = Path(capsys.readouterr().out.strip().removeprefix("Wrote "))
    assert written.name == "2021-05-04 Collective Impact 2 – sammanfattning.docx"
    text = document_text(written)
    missing = [line for line in seed_expectations() if squash(line) not in text]
    assert missing == []
    assert "Sammanlagt 23 engagerade intressenter från 20 olika organisationer deltog." in text
    assert "4 maj 2021" in text
    assert "dela upp i två grupper – styrgrupp strategisk, processgrupp operativ" in text


def test_english_recap(example, capsys):
    assert main(["report", "ci2", "--lang", "en", "--out", str(example / "en.docx")]) == 0
    text = document_text(example / "en.docx")
    assert "4 May 2021" in text and "HOW: –" in text.replace("HOW:–", "HOW: –")


def test_people_edits_survive_and_the_report_uses_the_corrected_text(example, capsys):
    assert main(["sync"]) == 0
    book = openpyxl.load_workbook(example / "plan.xlsx")
    ideas = book["Idéer"]
    header = [c.value for c in ideas[1]]
    row = next(r for r in ideas.iter_rows(min_row=2) if r[header.index("Text")].value == "Budget")
    row[header.index("Text")].value = "Budget för 2022"
    actions = book["Åtgärder"]
    actions.cell(2, [c.value for c in actions[1]].index("Status") + 1, "Pågår")
    book.save(example / "plan.xlsx")
    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "Sync ok: 0 new, 0 changed" in out and "kept 1 edits" in out
    assert main(["report", "ci2", "--out", str(example / "r.docx")]) == 0
    text = document_text(example / "r.docx")
    assert "Budget för 2022" in text


def test_board_json_has_every_note_in_its_group(example, capsys):
    assert main(["board", f"boards/{BOARD}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    groups = {g["title"]: [n["text"] for n in g["notes"]] for e in data["exercises"] for g in e["groups"]}
    assert groups["Övrigt"] == ["Digital demokrati & digital social innovation (tillförlitligt system för att hantera idéer och förslag)",
                                "Gemensam start (en ceremoni)"]
    assert [a["title"] for a in data["actions"]][:2] == ["Utse/bilda processgrupp", "Behovskartläggning"]
    assert [n["text"] for n in data["unsorted"]] == ["Parkering: fika nästa gång?"]


@pytest.mark.parametrize("args,expected", [
    (["report", "nope"], "no workshop 'nope' in the Workshops tab"),
    (["board", "missing.json"], "missing.json: no such file"),
    (["board", "plan.xlsx"], "plan.xlsx: not JSON"),
    (["template", "check", "plan.xlsx"], "plan.xlsx"),
    (["--settings", "nowhere.env", "sync"], "nowhere.env: settings file not found"),
])
def test_bad_input_is_one_line_and_exit_2_without_traceback(example, args, expected):
    done = subprocess.run([sys.executable, "-m", "sync.cli", *args], cwd=example, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_board_the_tests_never_saw_comes_out_with_every_note_in_its_group(capsys):
    data_dir = ROOT / "tests" / "data" / "boards"
    expected = json.loads((data_dir / "unseen_board.expected.json").read_text("utf-8"))
    assert main(["board", str(data_dir / "unseen_board.json"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [{"title": e["title"], "groups": [{"title": g["title"], "notes": [n["text"] for n in g["notes"]]} for g in e["groups"]]}
            for e in got["exercises"]] == expected["exercises"]
    assert [{k: a[k] for k in ("title", "how", "when", "who")} for a in got["actions"]] == expected["actions"]
    assert [n["text"] for n in got["unsorted"]] == expected["unsorted"]


def test_dry_run_previews_the_rows_and_writes_nothing(example, capsys):
    before = (example / "plan.xlsx").read_bytes()
    assert main(["sync", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run, nothing written: 36 new, 0 changed" in out
    assert ": Medborgardialoger\n" in out and "new tabs" not in out
    assert (example / "plan.xlsx").read_bytes() == before and not (example / "var").exists()
