"""Swedish throughout: a Swedish sync writes no English sentence into Synklogg or the terminal, and the
Swedish page shows errors without server paths (issue 11)."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pytest

from sync.bootstrap import Backbone
from sync.entry.cli.main import main
from sync.entry.web import create_app
from sync.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
# Words of backbone's English messages that are no Swedish words: one of them in a Swedish text is a slip.
ENGLISH = re.compile(r"\b(the|rows?|deleted|stays?|kept|conflicts?|values?|sheet's|board's|both|new|changed|"
                     r"removed|failed|partly|done|loading|reading|writing|cells?|ideas?|actions?|runs?|sync runs|"
                     r"no such|not found|error|warning|wrote)\b", re.IGNORECASE)


def synklogg(workbook: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(workbook)["Synklogg"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def delete_idea_rows(workbook: Path, count: int) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Idéer"].delete_rows(2, count)
    book.save(workbook)


@pytest.mark.slow
def test_a_swedish_sync_writes_swedish_into_synklogg_and_the_terminal(example, capsys):
    assert main(["sync"]) == 0
    first = capsys.readouterr()
    assert "Synk lyckades: 35 nya, 1 ändrad, 0 borttagna från tavlan, 0 konflikter" in first.out
    delete_idea_rows(example / "plan.xlsx", 1)
    assert main(["sync"]) == 0
    delete_idea_rows(example / "plan.xlsx", 2)
    assert main(["sync"]) == 0
    second = capsys.readouterr()
    log = synklogg(example / "plan.xlsx")
    assert [row["Resultat"] for row in log] == ["lyckades"] * 3
    assert log[1]["Meddelande"] == "1 rad som raderats i arket förblir raderad"
    assert log[2]["Meddelande"].startswith("3 rader som raderats i arket förblir raderade")
    for text in [str(row["Meddelande"] or "") for row in log] + (first.out + first.err + second.out + second.err).splitlines():
        # Sheet, tab, column and workshop names are Swedish already; only backbone's own words are checked.
        assert not ENGLISH.search(text.replace("backbone", "")), text
    assert main(["runs"]) == 0
    runs = capsys.readouterr().out
    assert runs.startswith("Synkar i ") and "lyckades" in runs and "1 rad som raderats" in runs


def test_english_settings_give_english_messages(example, capsys):
    settings = (example / "settings.env").read_text("utf-8")
    (example / "settings.env").write_text(re.sub(r"(?m)^BACKBONE_LANGUAGE=.*$", "", settings) + "\nBACKBONE_LANGUAGE=en\n", "utf-8")
    assert main(["sync"]) == 0
    assert "Sync ok: 35 new, 1 changed, 0 removed from the board, 0 conflicts" in capsys.readouterr().out
    main(["sync"])  # back to the default for the tests after this one
    (example / "settings.env").write_text(settings, "utf-8")
    assert main(["runs"]) == 0


def test_the_swedish_page_names_no_server_path_in_its_errors(example):
    settings = load_settings(example / "settings.env", environ={})
    missing = example / "hidden" / "folder" / "plan-missing.xlsx"
    backbone = Backbone(dataclasses.replace(settings, sheet=f"xlsx:{missing}"))
    client = create_app(backbone).test_client()
    page = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "plan-missing.xlsx: arbetsboken finns inte" in page
    assert str(example) not in page and "/hidden/folder/" not in page
    recap = client.get("/workshops/ci2/report.docx").get_data(as_text=True)  # the error page of a failed recap
    assert "plan-missing.xlsx: arbetsboken finns inte" in recap and str(example) not in recap
    missing_page = client.get("/no-such-page").get_data(as_text=True)
    assert "Sidan finns inte." in missing_page and "Not Found" not in missing_page
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "plan-missing.xlsx: the workbook does not exist" in english and str(example) not in english
