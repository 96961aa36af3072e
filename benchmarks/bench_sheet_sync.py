"""Requests and cells written per sync on a 5,000-row Idéer tab with 1 % of the notes changed,
against the loopback fake of the Sheets API: backbone, and two baselines built here with gspread —
per-cell updates, and rewriting the whole tab (what Airbyte-style tools do).

    .venv/bin/python benchmarks/bench_sheet_sync.py [rows]
"""
from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from gspread.utils import rowcol_to_a1  # noqa: E402

from sync.adapters.gsheets import GoogleSheet  # noqa: E402
from sync.adapters.retry import RetryPolicy  # noqa: E402
from sync.bootstrap import Backbone  # noqa: E402
from sync.settings import Settings  # noqa: E402
from tests.fakes.sheets_api import FakeSheetsServer  # noqa: E402

KEY = "bench-spreadsheet-0123456789abcdefghijklmnop"
BOARD = "bench.1620111600000"


def widgets(rows: int, edited: set[int]) -> list[dict]:
    out = [{"id": "ex", "type": "area", "title": "Övning 1", "x": 0, "y": 0, "width": 100_000, "height": 100_000},
           {"id": "g", "type": "area", "title": "Grupp", "x": 0, "y": 0, "width": 90_000, "height": 90_000, "parentId": "ex"}]
    for n in range(rows):
        text = f"Idé {n}: relationsbyggande & tillit" + (" (ändrad)" if n in edited else "")
        out.append({"id": f"n{n}", "type": "sticky note", "text": text, "x": (n % 100) * 150, "y": (n // 100) * 150,
                    "width": 138, "height": 138, "parentId": "g", "createdOn": 1620115200000})
    return out


def counted(fake: FakeSheetsServer, work) -> tuple[int, int, float]:
    """(requests, cells written, seconds) of `work` as the fake saw them."""
    fake.clear_log()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    requests = fake.api_requests()
    cells = 0
    for r in requests:
        body = r.body if isinstance(r.body, dict) else {}
        for block in body.get("data", []) + ([body] if "values" in body else []):
            cells += sum(1 for row in block.get("values", []) for v in row if v is not None)  # nulls write nothing
    return len(requests), cells, seconds


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    edited = set(range(0, rows, 100))  # 1 %
    folder = Path(tempfile.mkdtemp(prefix="backbone-bench-"))
    key_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    (folder / "boards").mkdir()
    with FakeSheetsServer(KEY) as fake:
        fake.set_values("Workshops", [["ID", "Titel", "Mural"], ["ci2", "Bench", BOARD]], KEY)
        (folder / "sa.json").write_text(json.dumps({"type": "service_account", "client_email": "bench@x.iam.gserviceaccount.com",
                                                    "private_key": key_pem, "token_uri": fake.token_uri}))
        settings = Settings(sheet=f"gsheet:{KEY}", google_credentials=str(folder / "sa.json"), sheets_api_url=fake.url,
                            boards=f"files:{folder / 'boards'}", state=str(folder / "state.sqlite3"))
        board_file = folder / "boards" / f"{BOARD}.json"
        board_file.write_text(json.dumps(widgets(rows, set())), "utf-8")
        first = counted(fake, lambda: Backbone(settings).sync())
        board_file.write_text(json.dumps(widgets(rows, edited)), "utf-8")
        ours = counted(fake, lambda: Backbone(settings).sync())
        idle = counted(fake, lambda: Backbone(settings).sync())

        # A person inserts a row under the header at the moment our write arrives: checked and repaired in the run.
        def insert_row(book):
            sheet_id = book.sheet("Idéer").sheet_id
            book.batch_update({"requests": [{"insertDimension": {"range": {
                "sheetId": sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]})
        board_file.write_text(json.dumps(widgets(rows, set())), "utf-8")
        fake.hold_next("values:batchUpdate", insert_row)
        repaired = counted(fake, lambda: Backbone(settings).sync())

        # The write gets no answer (Google applies it 1.5 timeouts late, after a person's insert): the run waits
        # twice the timeout, reads, reconciles by ID, writes what is missing and checks (sync/adapters/gsheets/settle.py).
        timeout = 1.5
        slow = dataclasses.replace(settings, http_timeout=timeout)
        board_file.write_text(json.dumps(widgets(rows, edited)), "utf-8")
        fake.late_next(1.5 * timeout, path="values:batchUpdate", person=insert_row)
        unanswered = counted(fake, lambda: (Backbone(slow).sync(), fake.settle()))
        # Later than that pause (as after a killed run): the next run checks the open intents first, and puts back
        # in its own write what the late write misplaced.
        board_file.write_text(json.dumps(widgets(rows, set())), "utf-8")
        fake.late_next(6 * timeout, path="values:batchUpdate", person=insert_row)
        Backbone(slow).sync()
        fake.settle()
        put_back: list[int] = []
        after_late = counted(fake, lambda: put_back.append(len(Backbone(settings).sync().plan.repairs)))
        idle_again = counted(fake, lambda: Backbone(settings).sync())

        # Baselines, on the same sheet and the same change, with plain gspread.
        sheet = GoogleSheet(KEY, folder / "sa.json", api_url=fake.url, retry=RetryPolicy(sleep=lambda s: None))
        sheet.read()
        book = sheet._spreadsheet
        tab = book.worksheet("Idéer")

        def per_cell():
            values = tab.get_all_values()
            text_col = values[0].index("Text") + 1
            for row_number, row in enumerate(values[1:], 2):
                if row[0].removeprefix("n").isdigit() and int(row[0][1:]) in edited:
                    tab.update(range_name=rowcol_to_a1(row_number, text_col), values=[[row[text_col - 1] + "!"]], raw=True)

        def whole_tab():
            values = tab.get_all_values()
            tab.clear()
            tab.update(range_name="A1", values=values, raw=True)

        cell_baseline = counted(fake, per_cell)
        tab_baseline = counted(fake, whole_tab)

    print(f"sheet sync, {rows} idea rows, {len(edited)} notes changed on the board (against the fake Sheets API):")
    print(f"  {'':30} {'requests':>9} {'cells written':>14} {'seconds':>8}")
    for label, (requests, cells, seconds) in [("backbone, first sync", first), ("backbone, 1 % changed", ours),
                                              ("backbone, nothing new", idle), ("backbone, 1 % + row inserted", repaired),
                                              ("write unanswered + insert", unanswered),
                                              ("next run puts back a late one", after_late),
                                              ("backbone, nothing new again", idle_again),
                                              ("baseline: per-cell updates", cell_baseline),
                                              ("baseline: rewrite whole tab", tab_baseline)]:
        print(f"  {label:30} {requests:>9} {cells:>14} {seconds:>8.2f}")
    print(f"  a sync with nothing new costs {idle_again[0]} requests (budget 4); a run that puts back what a late "
          f"write misplaced ({put_back[0]} values) costs {after_late[0] - idle_again[0]:+d} over it; an unanswered write "
          f"{unanswered[0] - ours[0]:+d} over an answered one")
    print(f"  per-cell updates use {cell_baseline[0] / ours[0]:.0f}x the requests of backbone; "
          f"rewriting the tab writes {tab_baseline[1] / max(ours[1], 1):.0f}x the cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
