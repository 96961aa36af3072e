"""The example workshop laid out on Miro: `backbone report` gives the MURAL recap paragraph by paragraph, and one
sentence more, before the board's summary, on why it has no votes and no comments."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from sync.entry.cli.main import main
from tests.e2e.test_cli_example import document_paragraphs

ROOT = Path(__file__).resolve().parents[2]
MIRO = ROOT / "tests" / "data" / "miro" / "uXjVPbiskop=.json"
NO_VOTES = "Röster och kommentarer finns inte för Miro-tavlor (Miros API ger dem inte)."


def recap(capsys) -> list[str]:
    assert main(["report", "ci2"]) == 0
    return document_paragraphs(Path(capsys.readouterr().out.strip().removeprefix("Skrev ")))


def without_the_miro_sentence(paragraphs: list[str]) -> list[str]:
    """The Miro recap as the MURAL one would be: the sentence on votes and comments, there once, taken out."""
    assert paragraphs.count(NO_VOTES) == 1
    return [p for p in paragraphs if p != NO_VOTES]


def use_miro_board(example: Path) -> None:
    """The example with the Miro board: its export in boards/, its address in ci2's Mural cell."""
    shutil.copy(MIRO, example / "boards" / MIRO.name)
    (example / "boards" / "biskopsgarden2021.1620111600000.json").unlink()  # nothing left to read from MURAL
    book = openpyxl.load_workbook(example / "plan.xlsx")
    sheet = book["Workshops"]
    column = [c.value for c in sheet[1]].index("Mural") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "ci2")
    sheet.cell(row, column).value = "https://miro.com/app/board/uXjVPbiskop=/?share_link_id=771"
    # The coordinator's curation is by note id: the parked note ("nej" in I sammanfattningen) has its Miro id now.
    ideas = book["Idéer"]
    parked = next(r for r in range(2, ideas.max_row + 1) if ideas.cell(r, 1).value == "0-1620129427445")
    ideas.cell(parked, 1).value = "34587641620129427445"
    book.save(example / "plan.xlsx")


def test_the_miro_board_gives_the_same_recap_as_the_mural_board(example, capsys):
    from_mural = recap(capsys)
    use_miro_board(example)
    said = recap(capsys)
    assert said[said.index(NO_VOTES) + 1] == from_mural[[p.startswith("Övning 1.") for p in from_mural].index(True)]
    from_miro = without_the_miro_sentence(said)
    for number, (miro, mural) in enumerate(zip(from_miro, from_mural), 1):
        assert miro == mural, f"paragraph {number}"
    assert len(from_miro) == len(from_mural) > 20


def test_pulled_live_from_the_fake_miro_the_recap_is_the_same(example, capsys, monkeypatch):
    import json

    from tests.fakes.miro_api import FakeMiro

    from_mural = recap(capsys)
    use_miro_board(example)
    with FakeMiro(page_size=20) as fake:
        fake.add_export(json.loads(MIRO.read_text("utf-8")))
        for key, value in {"BACKBONE_BOARDS": "miro", "BACKBONE_MIRO_TOKEN": fake.token,
                           "BACKBONE_MIRO_API_URL": fake.url}.items():
            monkeypatch.setenv(key, value)
        from_miro = without_the_miro_sentence(recap(capsys))
        assert len(fake.api_requests("/items")) == 4  # 66 items, 20 a page (the fake's own limit below 50)
    assert from_miro == from_mural
