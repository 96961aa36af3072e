"""The bundled example through the `backbone` command, checked line by line against the seed recap."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from sync.entry.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BOARD = "biskopsgarden2021.1620111600000.json"


def squash(text: str) -> str:
    return " ".join(text.split())


# Where the published recap (the seed) slipped; the recap says what was meant.
SEED_TYPOS = {
    "Collective Impact 2- sammanfattning": "Collective Impact 2 – sammanfattning",  # a hyphen for the dash
    "Collecive Impact-serien": "Collective Impact-serien",
    "i Biskopsgården samt. En sammanfattning": "i Biskopsgården. En sammanfattning",  # a dangling "samt"
}


def seed_paragraphs() -> list[str]:
    """The seed recap paragraph by paragraph, typos corrected, list markers dropped (Word numbers and
    bullets its lists itself). The first two lines ("Kategorier", "Collective Impact Samarbeten")
    are the publishing website's category links above the post, not part of the document."""
    lines = (EXAMPLE / "recap-ci2.sv.txt").read_text("utf-8").splitlines()
    assert lines[:2] == ["Kategorier", "Collective Impact Samarbeten"]
    paragraphs = []
    for line in lines[2:]:
        line = re.sub(r"^(• |\d+\. )", "", squash(line))
        for typo, meant in SEED_TYPOS.items():
            line = line.replace(typo, meant)
        if line:
            paragraphs.append(line)
    return paragraphs


def document_paragraphs(path: Path) -> list[str]:
    return [squash(p.text) for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(squash(p) for p in parts)


def test_sync_then_report_reproduces_the_seed_recap_paragraph_by_paragraph(example, capsys):
    """What `make demo` does: the recap is the published one, in order, nothing added or missing."""
    assert main(["sync"]) == 0
    assert "Synk lyckades: 35 nya, 1 ändrad" in capsys.readouterr().out  # 1: the curated row sync completes
    assert main(["report", "ci2"]) == 0
    written = Path(capsys.readouterr().out.strip().removeprefix("Skrev "))
    assert written.name == "2021-05-04 Collective Impact 2 – sammanfattning.docx"
    got = document_paragraphs(written)
    # The published page linked its slides from the sentence; the recap gives the link on the next line.
    slides = got.index("Här är bilderna som visades under workshopen för nerladdning:") + 1
    assert got.pop(slides) == "https://vhbasket.se/wp-content/uploads/2021/05/CI-workshop-2.pdf"
    expected = seed_paragraphs()
    for number, (mine, published) in enumerate(zip(got, expected), 1):
        assert mine == published, f"paragraph {number}"
    assert len(got) == len(expected)
    assert "Parkering: fika nästa gång?" not in got and not any(p.startswith("Status") for p in got)


@pytest.mark.slow
def test_the_sheet_curates_the_recap(example, capsys):
    """A row deleted from Idéer or set to nej in I sammanfattningen leaves its note out; Status stays out."""
    assert main(["sync"]) == 0
    book = openpyxl.load_workbook(example / "plan.xlsx")
    ideas = book["Idéer"]
    header = [c.value for c in ideas[1]]
    text_col, curated_col = header.index("Text"), header.index("I sammanfattningen")
    budget = next(r for r in ideas.iter_rows(min_row=2) if r[text_col].value == "Budget")
    budget[curated_col].value = "nej"
    gone = next(r[0].row for r in ideas.iter_rows(min_row=2) if r[text_col].value == "Medborgardialoger")
    ideas.delete_rows(gone)
    actions = book["Åtgärder"]
    actions.cell(2, [c.value for c in actions[1]].index("Status") + 1, "Pågår")
    book.save(example / "plan.xlsx")
    assert main(["report", "ci2", "--out", str(example / "r.docx")]) == 0
    got = document_paragraphs(example / "r.docx")
    assert "Budget" not in got and "Medborgardialoger" not in got
    assert "Finansiella samarbeten" in got and "Relationsbyggande, skapa förtroende/tillit på plats" in got
    assert not any("Pågår" in p for p in got)
    assert main(["sync"]) == 0  # the deleted row stays deleted, the nej stays
    assert main(["report", "ci2", "--out", str(example / "r.docx")]) == 0
    got = document_paragraphs(example / "r.docx")
    assert "Budget" not in got and "Medborgardialoger" not in got


def test_english_recap(example, capsys):
    assert main(["report", "ci2", "--lang", "en", "--out", str(example / "en.docx")]) == 0
    text = document_text(example / "en.docx")
    assert "The second workshop in the Collective Impact series took place on 4 May." in text
    assert "\nHOW:\n" in text  # left empty, as the Swedish one


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
    assert "Synk lyckades: 0 nya, 0 ändrade" in out and "behöll 1 ändring som personer gjort i arket" in out
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


@pytest.mark.subprocess
@pytest.mark.parametrize("args,expected", [
    (["report", "nope"], "ingen workshop 'nope' i fliken Workshops"),
    (["board", "missing.json"], "missing.json: filen finns inte"),
    (["board", "plan.xlsx"], "plan.xlsx: inte JSON"),
    (["template", "check", "plan.xlsx"], "plan.xlsx"),
    (["--settings", "nowhere.env", "sync"], "nowhere.env: inställningsfilen finns inte"),
])
def test_bad_input_is_one_line_and_exit_2_without_traceback(example, args, expected):
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", *args], cwd=example, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_recap_asked_of_an_empty_workshops_tab_says_what_to_add(example, capsys, monkeypatch):
    book = openpyxl.load_workbook(example / "plan.xlsx")
    book["Workshops"].delete_rows(2, book["Workshops"].max_row)
    book.save(example / "plan.xlsx")
    monkeypatch.chdir(example)
    assert main(["report", "ci2"]) == 2
    assert capsys.readouterr().err == (f"backbone: fel: ingen workshop 'ci2' i fliken Workshops i {example / 'plan.xlsx'}: "
                                       "fliken har ingen workshop än; lägg till en rad per workshop\n")


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
    assert "Provkörning, inget skrevs: 35 nya, 1 ändrad" in out
    assert ": Medborgardialoger\n" in out and "new tabs" not in out
    assert (example / "plan.xlsx").read_bytes() == before and not (example / "var").exists()


def backbone(args: list[str], cwd: Path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_")}
    return subprocess.run([sys.executable, "-m", "sync.entry.cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**clean, **env})


@pytest.mark.subprocess
@pytest.mark.parametrize("args", [["report", "ci2"], ["sync"], ["runs"]])
def test_a_folder_without_settings_gets_one_line_saying_where_it_looked(tmp_path, args):
    done = backbone(args, tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"backbone: fel: inga inställningar hittades: det finns ingen settings.env i {tmp_path} "
                                   "och ingen BACKBONE_*-miljövariabel; ange --settings FIL, eller kopiera "
                                   "settings.example.env till settings.env och fyll i den")
    assert list(tmp_path.iterdir()) == []  # no var/, no stray lock file


@pytest.mark.subprocess
def test_settings_after_the_command_and_runs_names_its_state_file(example, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    settings = str(example / "settings.env")
    assert backbone(["sync", "--settings", settings], elsewhere).returncode == 0
    done = backbone(["report", "ci2", "--settings", settings, "--out", str(elsewhere / "r.docx")], elsewhere)
    assert done.returncode == 0, done.stderr
    runs = backbone(["runs", "--settings", settings], elsewhere).stdout
    assert runs.splitlines()[0] == f"Synkar i {example / 'var' / 'backbone.sqlite3'}:"
    none_yet = backbone(["runs"], elsewhere, BACKBONE_STATE="other.sqlite3").stdout
    assert none_yet.startswith(f"Inga synkar har körts ännu i {elsewhere / 'other.sqlite3'}.")


@pytest.mark.subprocess
def test_sync_names_the_setting_for_hidden_notes_and_warns_of_a_misspelt_variable(example):
    done = backbone(["sync"], example, BACKBONE_INCLUDE_HIDEN="true")
    assert "utelämnade 1 dold lapp (ta med dolda lappar med inställningen BACKBONE_INCLUDE_HIDDEN=true)" in done.stdout
    assert "--include-hidden" not in done.stdout
    assert ("miljövariabeln BACKBONE_INCLUDE_HIDEN är ingen inställning i backbone och hoppas över (menade du "
            "BACKBONE_INCLUDE_HIDDEN?)") in done.stderr


@pytest.mark.subprocess
def test_a_missing_workbook_is_one_line(example):
    (example / "plan.xlsx").unlink()
    done = backbone(["sync"], example)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (f"backbone: fel: {example / 'plan.xlsx'}: arbetsboken finns inte; "
                                                    "skapa den med `backbone init`, eller kontrollera BACKBONE_SHEET "
                                                    "(xlsx:SÖKVÄG)")
