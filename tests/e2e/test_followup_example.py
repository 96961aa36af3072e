"""The follow-up report and the change digest on the bundled example, through the `backbone` command,
with the .docx read back: overdue actions, a status change, new organisations, the since-rule."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from sync.entry.cli.main import main

from .test_cli_example import document_text


def set_status(place: Path, action_id: str, status: str) -> None:
    book = openpyxl.load_workbook(place / "plan.xlsx")
    sheet = book["Åtgärder"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("ID")].value == action_id)
    row[header.index("Status")].value = status
    book.save(place / "plan.xlsx")


def written(capsys) -> Path:
    return Path(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("Skrev "))


@pytest.mark.slow
def test_followup_before_and_after_a_status_change(example, capsys):
    assert main(["sync"]) == 0 and main(["report", "ci2"]) == 0
    capsys.readouterr()
    assert main(["report", "--followup"]) == 0
    first = written(capsys)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d uppföljning\.docx", first.name) and first.parent.name == "reports"
    text = document_text(first)
    assert "Försenade åtgärder" in text
    assert "Ungdomsråd – försenad" in text and "NÄR: hösten 2021 (senast 30 november 2021)" in text
    assert "Nyhetsbrev efter varje möte – försenad" not in text  # löpande: never overdue
    assert "Det här är den första uppföljningen" in text
    assert "Collective Impact 3, 8 juni 2021: 8 personer från 7 organisationer" in text
    assert "Nya organisationer (1): Fritidsgården Vårvädret" in text
    assert "Nya organisationer (1): Studiefrämjandet Göteborg" in text
    assert "Inte tillbaka (14): ABF Göteborg" in text and "Linnea Grahn" not in text.split("Deltagande")[1]  # organisations, not people
    assert "Sammanfattning: 2021-05-04 Collective Impact 2 – sammanfattning.docx" in text
    assert "Ansvarig: Erik Söderström" in text
    document = docx.Document(str(first))
    links = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["2021-05-04%20Collective%20Impact%202%20%E2%80%93%20sammanfattning.docx"]  # beside the report
    properties = document.core_properties
    assert properties.category == "Uppföljning" and properties.language == "sv-SE"

    set_status(example, "ci4-1", "Klar")
    assert main(["report", "--followup", "--out", "second.docx"]) == 0
    text = document_text(example / "second.docx")
    assert "Nytt och ändrat sedan förra uppföljningen" in text
    assert "Ändrad status" in text and "Gemensamma indikatorer (Collective Impact 4): Pågår → Klar" in text
    assert "Gemensamma indikatorer – försenad" not in text  # done now
    assert "Det här är den första uppföljningen" not in text

    assert main(["report", "--followup", "--out", "third.docx"]) == 0
    assert "Inget nytt eller ändrat." in document_text(example / "third.docx")


def headings(path: Path) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order; the title is level 0."""
    found = []
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name
        if style == "Title" or style.startswith("Heading "):
            found.append((0 if style == "Title" else int(style.split()[1]), paragraph.text))
    return found


@pytest.mark.slow
def test_the_followup_structure_each_action_once_levels_counts_order_and_names(example, capsys):
    assert main(["sync"]) == 0
    capsys.readouterr()
    assert main(["report", "--followup"]) == 0
    first = written(capsys)
    shown = headings(first)
    # Sections (1) hold status groups (2) that hold actions (3); overdue actions are (2) under their section.
    overdue_at = shown.index((1, "Försenade åtgärder"))
    by_status_at = next(i for i, h in enumerate(shown) if h == (1, "Åtgärder per status"))
    late = [text.removesuffix(" – försenad") for level, text in shown[overdue_at + 1:by_status_at] if level == 2]
    assert late == ["Gemensamma indikatorer", "Ungdomsråd", "Behovskartläggning", "Bjuda in fler aktörer",
                    "Fysisk plats för möten", "Utse/bilda processgrupp", "Avtal med syfte & mål"]  # due 14 Nov 2021 first
    groups = [(level, text) for level, text in shown[by_status_at + 1:] if level >= 2]
    assert groups[0] == (2, "Pågår (3)") and groups[1] == (3, "Nyhetsbrev efter varje möte")
    assert (2, "Klar (1)") in groups and (3, "Gemensam agenda – första utkast") in groups
    action_titles = [text.removesuffix(" – försenad") for level, text in shown if level in (2, 3) and "(" not in text
                     and text not in ("Nytt och ändrat", "Deltagande", "Workshopparna")]
    assert sorted(action_titles) == sorted(set(action_titles)) and len(action_titles) == 9  # each action in full once
    text = document_text(first)
    assert "Försenade, beskrivna under Försenade åtgärder ovan: Gemensamma indikatorer, Ungdomsråd" in text
    assert "9 åtgärder från 3 workshoppar: 1 klar och 7 försenade." in text  # Collective Impact 1 has none
    assert "20 april 2021 – Collective Impact 1: Mission statement (ingen tavla, 0 åtgärder)." in text
    assert not re.search(r"\b0 lappar", text) and not re.search(r"\(ci\d\)", text)
    # Lappar: the notes the recap lists (the parking note is curated out), as in the sheet and on the page.
    assert "4 maj 2021 – Collective Impact 2: Struktur och arbetssätt (30 lappar, 5 åtgärder)." in text
    # The chart: a picture at print resolution, with a description for screen readers.
    document = docx.Document(str(first))
    [picture] = document.inline_shapes
    alt = picture._inline.docPr.get("descr")
    assert alt.startswith("Diagram. Till vänster åtgärderna i varje workshop efter status: Collective Impact 2: 5 ")
    assert "Collective Impact 2: 23 personer från 20 organisationer" in alt
    assert picture.width.cm == pytest.approx(16.0, abs=0.01)
    image = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/image"))
    assert image.image.px_width / (picture.width.inches) >= 290  # about 300 dots per inch
    # A second follow-up the same day keeps the first.
    before = first.read_bytes()
    assert main(["report", "--followup"]) == 0
    second = written(capsys)
    assert second.name == first.name.replace("uppföljning.docx", "uppföljning 2.docx") and first.read_bytes() == before


@pytest.mark.slow
def test_since_a_date_compares_with_the_last_sync_before_it(example, capsys):
    assert main(["sync"]) == 0
    set_status(example, "ci3-2", "Klar")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert main(["report", "--followup", "--since", tomorrow, "--lang", "en", "--out", "en.docx"]) == 0
    text = document_text(example / "en.docx")
    assert "Status changes" in text and "Ungdomsråd (Collective Impact 3): Pågår → Klar" in text
    assert "Overdue actions" in text and "Actions by status" in text
    assert main(["report", "--followup", "--since", "2000-01-01", "--out", "old.docx"]) == 0
    text = document_text(example / "old.docx")
    assert "backbone har ingen synkning från före 1 januari 2000" in text
    # A sync after the date brought notes and actions to the ci2 board.
    assert "Collective Impact 2: 30 nya lappar, 1 ändrad och 0 borttagna på tavlan" in text  # one row was curated before


def test_runs_changes_lists_what_a_run_did_per_workshop(example, capsys):
    assert main(["sync"]) == 0
    capsys.readouterr()
    assert main(["runs", "--changes", "1"]) == 0
    out = capsys.readouterr().out
    assert "Körning 1," in out and "ci2:" in out and "lappar tillagda: 30" in out and "lappar ändrade: 1" in out \
        and "åtgärder tillagda: 5" in out
    assert "Utse/bilda processgrupp" in out
    assert main(["sync"]) == 0
    capsys.readouterr()
    assert main(["runs", "--changes", "2"]) == 0
    assert "Inget lades till, ändrades eller togs bort." in capsys.readouterr().out


@pytest.mark.subprocess
@pytest.mark.parametrize("args,expected", [
    (["report", "--followup", "--since", "juni"], "--since 'juni': ange ett datum som ÅÅÅÅ-MM-DD"),
    (["report"], "ange ett workshop-ID (t.ex. `backbone report ci2`), eller --followup"),
    (["report", "ci2", "--followup"], "uppföljningsrapporten tar med alla workshoppar: ta bort workshop-ID:t"),
    (["runs", "--changes", "99"], "ingen körning 99"),
    (["report", "--since", "2021-06-01"], "--since hör ihop med --followup (`backbone report --followup --since 2021-06-01`)"),
    (["report", "ci2", "--since", "2021-06-01"], "--since hör ihop med --followup"),  # not "drop the WORKSHOP ID"
])
def test_bad_followup_input_is_one_line_and_exit_2(example, args, expected):
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", *args], cwd=example, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.subprocess
def test_bad_followup_input_in_english(example):
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "report"], cwd=example, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "BACKBONE_LANGUAGE": "en"})
    assert done.returncode == 2
    assert done.stderr == ("backbone: error: give a WORKSHOP ID (e.g. `backbone report ci2`), or --followup for the "
                           "follow-up report\n")


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not on PATH; apt-get install libreoffice-writer-nogui")
def test_followup_as_pdf(example, capsys):
    assert main(["sync"]) == 0
    capsys.readouterr()
    assert main(["report", "--followup", "--pdf", "--out", "f.docx"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"Skrev {example / 'f.pdf'}"
    text = subprocess.run(["pdftotext", "-layout", str(example / "f.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Uppföljning – Collective Impact Biskopsgården" in flat and "Ungdomsråd – försenad" in flat


def test_the_mail_url_is_masked_in_settings(example, capsys, monkeypatch):
    monkeypatch.setenv("BACKBONE_SMTP_URL", "smtps://ci%40example.org:hemligt-lösen@mail.example.org:465")
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "BACKBONE_SMTP_URL=********" in out and "hemligt" not in out
