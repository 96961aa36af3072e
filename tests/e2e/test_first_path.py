"""A coordinator's first real path (issue 18): a recap asked for before any sync, a workshop with no board yet,
and `Lappar` meaning the notes a recap lists, everywhere."""
from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest

from sync.entry.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BOARD = str(EXAMPLE / "boards" / "biskopsgarden2021.1620111600000.json")
CURATED = "Parkering: fika nästa gång?"  # the example's one row a coordinator set to I sammanfattningen = nej
LEFT_OUT_LINE = ("obs: 1 lapp är inte med i sammanfattningen eftersom dess rad i fliken Idéer har "
                 f"I sammanfattningen = nej: '{CURATED}'\n")
NO_BOARD = ("workshop ci1 har ingen tavla ännu: skriv tavlans MURAL-adress i kolumnen Mural i fliken Workshops")


def board_notes(capsys) -> list[str]:
    """Every note of the example's board as `backbone board --json` gives it (no HUR/NÄR/VEM stickies)."""
    assert main(["board", BOARD, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return [n["text"] for e in data["exercises"] for g in e["groups"] for n in g["notes"]] + [
        n["text"] for n in data["unsorted"]]


def paragraphs(source: Path | bytes) -> list[str]:
    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    return [" ".join(p.text.split()) for p in document.paragraphs if p.text.strip()]


def listed_notes(got: list[str], notes: list[str]) -> list[str]:
    return [note for note in notes if note in got]


@pytest.mark.slow
def test_a_recap_before_the_first_sync_has_every_note_and_names_the_one_left_out(example, capsys):
    notes = board_notes(capsys)
    assert len(notes) == 31 and CURATED in notes
    assert not (example / "var").exists()  # no sync has run: the merge base is empty
    assert main(["report", "ci2", "--out", str(example / "before.docx")]) == 0
    said = capsys.readouterr()
    assert said.err == LEFT_OUT_LINE
    before = paragraphs(example / "before.docx")
    assert listed_notes(before, notes) == [n for n in notes if n != CURATED]  # 30: all but the one set to nej
    assert main(["sync"]) == 0
    capsys.readouterr()
    assert main(["report", "ci2", "--out", str(example / "after.docx")]) == 0
    assert capsys.readouterr().err == LEFT_OUT_LINE
    assert paragraphs(example / "after.docx") == before  # the first sync changes nothing in the recap


def test_the_page_gives_the_same_complete_recap_before_any_sync(example, backbone, capsys):
    from sync.entry.web import create_app
    notes = board_notes(capsys)
    response = create_app(backbone).test_client().get("/workshops/ci2/report.docx")
    assert response.status_code == 200
    assert listed_notes(paragraphs(response.data), notes) == [n for n in notes if n != CURATED]


@pytest.mark.slow
def test_a_row_a_person_deleted_after_a_sync_is_left_out_and_said(example, capsys):
    assert main(["sync"]) == 0
    book = openpyxl.load_workbook(example / "plan.xlsx")
    ideas = book["Idéer"]
    texts = [c.value for c in ideas["E"]]
    assert texts[0] == "Text"
    for row in sorted((i + 1 for i, t in enumerate(texts) if t in ("Budget", "Medborgardialoger")), reverse=True):
        ideas.delete_rows(row)
    book.save(example / "plan.xlsx")
    capsys.readouterr()
    assert main(["report", "ci2", "--out", str(example / "r.docx")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [LEFT_OUT_LINE.strip(),
                   "obs: 2 lappar är inte med i sammanfattningen eftersom någon tog bort deras rader ur fliken Idéer "
                   "efter att en synk skrivit dem (lägg till en rad med ID:t för att ta med en igen): "
                   "'Medborgardialoger', 'Budget'"]
    got = paragraphs(example / "r.docx")
    assert "Budget" not in got and "Medborgardialoger" not in got


def test_a_workshop_without_a_board_or_rows_says_what_to_set(example, capsys):
    assert main(["report", "ci1"]) == 2
    assert capsys.readouterr().err == f"backbone: fel: {NO_BOARD}\n"
    assert not (example / "reports").exists()  # nothing written
    # ci3 has no board but has actions in Åtgärder: its recap is made of them.
    assert main(["report", "ci3", "--out", str(example / "ci3.docx")]) == 0
    assert "Ungdomsråd" in paragraphs(example / "ci3.docx")


def test_the_page_says_the_same_and_offers_no_buttons_for_a_workshop_without_a_board(example, backbone):
    from sync.entry.web import create_app
    client = create_app(backbone).test_client()
    page = client.get("/").get_data(as_text=True)
    cards = {card.split('"', 1)[0]: card for card in page.split('data-workshop="')[1:]}
    assert NO_BOARD in cards["ci1"] and "/workshops/ci1/report" not in cards["ci1"]
    assert "<button" not in cards["ci1"] and 'class="button"' not in cards["ci1"]
    assert "/workshops/ci3/report.docx" in cards["ci3"]  # its rows in Åtgärder make its recap
    assert "sammanfattningen görs av workshoppens rader i flikarna Idéer och Åtgärder" in cards["ci3"]
    assert "/workshops/ci2/report.docx" in cards["ci2"] and NO_BOARD not in cards["ci2"]
    response = client.get("/workshops/ci1/report.docx")
    assert response.status_code == 404 and NO_BOARD in response.get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    assert ("workshop ci1 has no board yet: write the board&#39;s MURAL address in the Mural column of the Workshops tab"
            in english)


@pytest.mark.slow
def test_lappar_is_the_notes_a_recap_lists_in_the_sheet_on_the_page_and_in_the_follow_up(example, backbone, capsys):
    assert main(["sync"]) == 0
    book = openpyxl.load_workbook(example / "plan.xlsx")
    header = [c.value for c in book["Workshops"][1]]
    lappar = {row[0]: row[header.index("Lappar")] for row in book["Workshops"].iter_rows(min_row=2, values_only=True)}
    assert lappar["ci2"] == 30  # 31 notes on the board, one set to nej; HUR/NÄR/VEM stickies are not notes
    from sync.entry.web import create_app
    page = create_app(backbone).test_client().get("/").get_data(as_text=True)
    card = page.split('data-workshop="ci2"')[1].split("</li>")[0]
    assert "<dt>Lappar</dt><dd>30</dd>" in card
    assert main(["report", "--followup", "--out", str(example / "f.docx")]) == 0
    assert "4 maj 2021 – Collective Impact 2: Struktur och arbetssätt (30 lappar, 5 åtgärder)." in paragraphs(
        example / "f.docx")
    # A person leaves one more note out: the next sync counts 29.
    ideas = book["Idéer"]
    ideas_header = [c.value for c in ideas[1]]
    budget = next(r for r in ideas.iter_rows(min_row=2) if r[ideas_header.index("Text")].value == "Budget")
    budget[ideas_header.index("I sammanfattningen")].value = "nej"
    book.save(example / "plan.xlsx")
    assert main(["sync"]) == 0
    book = openpyxl.load_workbook(example / "plan.xlsx")
    assert next(r[header.index("Lappar")] for r in book["Workshops"].iter_rows(min_row=2, values_only=True)
                if r[0] == "ci2") == 29


def quick_start_commands() -> list[str]:
    """The README's three commands for starting an initiative of one's own, as written there."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("## Start your own initiative", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.subprocess
def test_an_empty_folder_the_readme_quick_start_and_a_complete_recap(tmp_path, capsys):
    import os
    import shutil
    import subprocess
    import sys

    commands = quick_start_commands()
    assert commands == ["cp /path/to/backbone/settings.example.env settings.env", "backbone init", "backbone sync"]
    folder = tmp_path / "mitt-initiativ"
    folder.mkdir()
    shutil.copytree(EXAMPLE / "boards", folder / "boards")  # the board's export, as `backbone mural pull` saves it
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # where `backbone` is installed

    def run(command: str) -> subprocess.CompletedProcess:
        done = subprocess.run(command.replace("/path/to/backbone", str(ROOT)), shell=True, cwd=folder, env=env,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        assert "Traceback" not in done.stderr
        return done

    run(commands[0])
    made = run(commands[1])
    assert made.stdout.startswith(f"Skapade {folder / 'plan.xlsx'} med flikarna Workshops, Idéer, Åtgärder")
    # What `init` says comes next, as a person would do it in Excel: the workshop's row in Workshops.
    book = openpyxl.load_workbook(folder / "plan.xlsx")
    workshops = book["Workshops"]
    header = [c.value for c in workshops[1]]
    row = {"ID": "ci2", "Titel": "Collective Impact 2", "Datum": "2021-05-04", "Tema": "Struktur och arbetssätt",
           "Mural": "https://app.mural.co/t/biskopsgarden2021/m/biskopsgarden2021/1620111600000/"}
    workshops.append([row.get(h, None) for h in header])
    book.save(folder / "plan.xlsx")
    synced = run(commands[2])
    assert "Synk lyckades: 36 nya" in synced.stdout  # 31 notes and 5 actions
    done = run("backbone report ci2")
    written = Path(done.stdout.strip().removeprefix("Skrev "))
    assert written.parent == folder / "recaps"
    got = paragraphs(written)
    notes = board_notes(capsys)
    assert listed_notes(got, notes) == notes  # every note of the board: nothing was curated out
    assert "Utse/bilda processgrupp" in got and "Behovskartläggning" in got  # the prioritised actions
    assert done.stderr == ""  # nothing left out, nothing to say
    book = openpyxl.load_workbook(folder / "plan.xlsx")
    assert [r[header.index("Lappar")] for r in book["Workshops"].iter_rows(min_row=2, values_only=True)] == [31]
