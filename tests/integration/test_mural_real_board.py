"""A board in real MURAL shapes, served by the loopback fake with voting sessions, paged tags and comments,
synced into the workbook and written into a recap: votes reach the sheet (as numbers) and the recap."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import docx
import openpyxl
import pytest

from sync.adapters.mural.mural_config import MURAL  # noqa: E402
from sync.adapters.signin.tokens import Tokens, TokenStore
from sync.bootstrap import Backbone
from tests.fakes.mural_api import FakeMural

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
REAL_FILE = ROOT / "tests" / "data" / "boards" / "real_shapes.json"
BOARD_ID = json.loads(REAL_FILE.read_text("utf-8"))["mural"]["id"]


@pytest.fixture
def live(tmp_path: Path):
    place = tmp_path / "place"
    shutil.copytree(EXAMPLE, place)
    shutil.rmtree(place / "boards")
    book = openpyxl.load_workbook(place / "plan.xlsx")
    book["Workshops"].append(["ci9", "Trygghet", dt.datetime(2023, 11, 20), "Trygghet", "https://app.mural.co/t/trygghet2023/m/trygghet2023/1700470800000/x1"])
    book.save(place / "plan.xlsx")
    real = json.loads(REAL_FILE.read_text("utf-8"))  # a fresh copy: tests change the votes
    with FakeMural(page_size=2) as fake:  # two per page: tags, sessions and results are paged too
        fake.add_board(BOARD_ID, real["value"], title=real["mural"]["title"], updated_on=real["mural"]["updatedOn"],
                       tags=real["tags"] + [{"id": f"tag-x{i}", "text": f"Extra {i}"} for i in range(3)],
                       voting_sessions=real["votingSessions"])
        settings = dataclasses.replace(fake.settings(place / "var" / "mural-token.json"), sheet=f"xlsx:{place / 'plan.xlsx'}",
                                       boards="mural", state=str(place / "var" / "backbone.sqlite3"),
                                       reports_dir=str(place / "reports"), http_retries=2)
        issued = fake.issue_tokens()
        TokenStore(settings.mural_token_file, MURAL).save(Tokens(issued["access_token"], issued["refresh_token"], time.time() + 900))
        yield fake, settings, place


def rows(place: Path, tab: str) -> list[dict]:
    sheet = openpyxl.load_workbook(place / "plan.xlsx")[tab]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.slow
def test_votes_tags_and_comments_reach_the_sheet(live):
    fake, settings, place = live
    result = Backbone(settings).sync(workshop="ci9")
    assert result.result == "ok", result.failures
    ideas = {r["ID"]: r for r in rows(place, "Idéer") if r["Workshop"] == "ci9"}
    assert ideas["n-belysning"]["Röster"] == 12 and isinstance(ideas["n-belysning"]["Röster"], int)  # a number, not text
    assert ideas["n-grannar"]["Röster"] == 0
    assert ideas["n-belysning"]["Taggar"] == "Prioriterad" and ideas["n-idrott"]["Taggar"] == "Unga"
    assert ideas["n-belysning"]["Kommentarer"] == "Vilka platser? Ta med kartan ↳ Torget och tunneln"
    assert ideas["n-grannar"]["Kommentarer"] in (None, "")  # its only comment is resolved
    assert ideas["n-hemlig"]["Författare"] in (None, "")
    assert ideas["n-bibliotek"]["Grupp"] == "Mötesplatser"  # grouped stickies stay in their box
    actions = [r["Hållplats"] for r in rows(place, "Åtgärder") if r["Workshop"] == "ci9"]
    assert actions == ["Trygghetsvandringar", "Fler mötesplatser för unga"]  # most voted first
    paged = [r for r in fake.api_requests("/tags") if "next" in r.query]
    assert paged and len(fake.api_requests("/results")) == 1 + 3  # the first session 1 page, the second 6 results on 3
    # The votes change on the board: the sheet follows, and a second sync finds nothing else to do.
    fake.boards[BOARD_ID].voting_sessions[1]["results"][0]["totalVotes"] = 13
    fake.touch(BOARD_ID)
    Backbone(settings).sync(workshop="ci9")
    ideas = {r["ID"]: r for r in rows(place, "Idéer") if r["Workshop"] == "ci9"}
    assert ideas["n-belysning"]["Röster"] == 13
    assert Backbone(settings).sync(workshop="ci9").counts() == {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}


@pytest.mark.slow
def test_a_person_edit_to_the_votes_cell_is_kept(live):
    fake, settings, place = live
    Backbone(settings).sync(workshop="ci9")
    book = openpyxl.load_workbook(place / "plan.xlsx")
    sheet = book["Idéer"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("ID")].value == "n-belysning")
    row[header.index("Röster")].value = 20
    book.save(place / "plan.xlsx")
    fake.touch(BOARD_ID)
    Backbone(settings).sync(workshop="ci9")
    assert next(r for r in rows(place, "Idéer") if r["ID"] == "n-belysning")["Röster"] == 20


def _template(path: Path) -> Path:
    document = docx.Document()
    for line in ["{{ title }}", "{%p for exercise in exercises %}", "{%p for group in exercise.groups %}",
                 "{%p for note in group.notes %}",
                 "{{ note.text }}{% if note.votes_text %} ({{ note.votes_text }}){% endif %}"
                 "{% if note.tags_text %} [{{ note.tags_text }}]{% endif %}"
                 "{% for comment in note.comments %} – {{ comment.text }}{% endfor %}",
                 "{%p endfor %}", "{%p endfor %}", "{%p for action in exercise.actions %}",
                 "{{ action.title }}: {{ action.votes_text }}", "{%p endfor %}", "{%p endfor %}"]:
        document.add_paragraph(line)
    document.save(path)
    return path


@pytest.mark.slow
def test_the_recap_can_show_votes_tags_and_comments(live, tmp_path):
    fake, settings, place = live
    Backbone(settings).sync(workshop="ci9")
    files = Backbone(settings).report("ci9", template=_template(tmp_path / "votes.docx"), out=place / "recap.docx")
    lines = [p.text for p in docx.Document(str(files.docx)).paragraphs]
    assert "Bättre belysning\npå torget 💡 (12 röster) [Prioriterad] – Vilka platser? Ta med kartan" in lines
    assert "Idrottsplatsen (1 röst) [Unga]" in lines
    assert "Trygghetsvandringar: 11 röster" in lines
    english = Backbone(dataclasses.replace(settings, language="en")).report("ci9", template=tmp_path / "votes.docx",
                                                                         out=place / "recap.en.docx")
    assert "Idrottsplatsen (1 vote) [Unga]" in [p.text for p in docx.Document(str(english.docx)).paragraphs]


@pytest.mark.slow
def test_a_board_without_voting_sessions_leaves_the_votes_empty(live):
    fake, settings, place = live
    fake.voting = False  # an API without the facilitation endpoints answers 404
    assert Backbone(settings).sync(workshop="ci9").result == "ok"
    ideas = {r["ID"]: r for r in rows(place, "Idéer") if r["Workshop"] == "ci9"}
    assert ideas["n-belysning"]["Röster"] in (None, "")
    assert [r["Hållplats"] for r in rows(place, "Åtgärder") if r["Workshop"] == "ci9"] == \
        ["Fler mötesplatser för unga", "Trygghetsvandringar"]  # board order
