"""Votes go to Google Sheets as numbers (RAW JSON numbers), through the real gspread client and the fake Sheets API."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sync.bootstrap import Backbone
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
REAL = ROOT / "tests" / "data" / "boards" / "real_shapes.json"
BOARD_ID = json.loads(REAL.read_text("utf-8"))["mural"]["id"]
KEY = "1VotesVotesVotesVotesVotesVotesVotesVotes12"
ACCOUNT = "backbone-sync@ci-biskopsgarden.iam.gserviceaccount.com"


@pytest.mark.slow
def test_votes_are_numbers_in_google_sheets_and_a_second_sync_changes_nothing(tmp_path: Path, private_key: str):
    boards = tmp_path / "boards"
    boards.mkdir()
    shutil.copy(REAL, boards / f"{BOARD_ID}.json")
    with FakeSheetsServer(KEY, title="Planering") as fake:
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        workshops = fake.values("Workshops")
        fake.set_values("Workshops", workshops + [["ci9", "Trygghet", "2023-11-20", "Trygghet", BOARD_ID]])
        credentials = service_account_file(tmp_path / "service-account.json", private_key, fake.token_uri, ACCOUNT)
        settings = Settings(sheet=f"gsheet:{KEY}", google_credentials=str(credentials), sheets_api_url=fake.url,
                            boards=f"files:{boards}", state=str(tmp_path / "state.sqlite3"), http_timeout=5)
        assert Backbone(settings).sync(workshop="ci9").result == "ok"
        header, *rows = fake.values("Idéer", render="UNFORMATTED_VALUE")
        by_id = {r[header.index("ID")]: dict(zip(header, r + [""] * (len(header) - len(r)))) for r in rows}
        assert by_id["n-belysning"]["Röster"] == 12 and by_id["n-grannar"]["Röster"] == 0  # numbers, not "12"
        assert by_id["n-idrott"]["Taggar"] == "Unga"
        again = Backbone(settings).sync(workshop="ci9")
        assert again.counts() == {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}
