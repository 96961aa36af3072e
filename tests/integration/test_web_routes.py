"""Every route of the web page through Flask's test client, on a copy of the bundled example."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import io
import json
import logging
import re
import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from sync.bootstrap import Backbone
from sync.entry.web import create_app
from sync.entry.web.access_log import JsonFormatter
from sync.entry.web.downloads import ascii_filename, content_disposition
from sync.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
TITLE = "Collective Impact 2"
RECAP_NAME = "2021-05-04 Collective Impact 2 – sammanfattning"


def make_backbone(folder: Path, **overrides) -> Backbone:
    settings = load_settings(folder / "settings.env", environ={})  # the test runner's BACKBONE_* must not leak in
    return Backbone(dataclasses.replace(settings, **overrides))


@pytest.fixture
def client(backbone):
    return create_app(backbone).test_client()


def wait_until(check, timeout: float = 30.0):
    """Poll `check` until it returns something true; a bounded loop of short waits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not reached within {timeout} s")


def finished_status(client) -> dict:
    return wait_until(lambda: (lambda s: s if s["state"] == "finished" else None)(client.get("/sync/status").get_json()))


class Gate:
    """Stands in for Backbone.sync: holds the run open until released, so "already running" is deterministic."""

    def __init__(self, real_sync):
        self.real_sync, self.calls = real_sync, 0
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, **kwargs):
        self.calls += 1
        self.entered.set()
        assert self.release.wait(30), "the test never released the run"
        return self.real_sync(**kwargs)


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


# --- the list page ----------------------------------------------------------------------------

def test_the_list_page_shows_the_workshops_and_their_buttons(client):
    page = client.get("/").get_data(as_text=True)
    assert TITLE in page and "2021-05-04" in page
    assert 'href="/workshops/ci2/report.docx"' in page and 'href="/workshops/ci2/report.pdf"' in page
    assert "Synka nu" in page and 'action="/sync"' in page
    assert "Nästa schemalagda synk" in page and "Senaste synk" in page
    assert "https://app.mural.co/t/biskopsgarden2021/" in page  # the board, as a link


def test_with_a_scheduler_the_page_and_health_show_the_next_run(backbone):
    from sync.entry.web.runner import SyncRunner
    from sync.entry.web.scheduler import SyncScheduler

    backbone.clock = lambda: dt.datetime(2024, 3, 30, 23, 0, tzinfo=dt.UTC)
    scheduler = SyncScheduler.nightly(SyncRunner(backbone))
    client = create_app(backbone, scheduler=scheduler).test_client()
    next_run = client.get("/").get_data(as_text=True).split('id="next-run"')[1].split("</dd>")[0]
    assert 'datetime="2024-03-31T03:00:00+02:00"' in next_run and "2024-03-31 03:00" in next_run
    assert "Europe/Stockholm" in next_run
    assert client.get("/health").get_json()["next_run"] == "2024-03-31T03:00:00+02:00"
    client.post("/sync")
    assert finished_status(client)["origin"] == "web" and not scheduler.runner.running()


def test_board_and_sheet_text_is_escaped_and_only_web_addresses_become_links(example):
    book = openpyxl.load_workbook(example / "plan.xlsx")
    sheet = book["Workshops"]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("ID")].value == "ci1")
    row[headers.index("Titel")].value = "<script>alert('x')</script> & co"
    row[headers.index("Mural")].value = "javascript:alert(1)"
    book.save(example / "plan.xlsx")
    page = create_app(make_backbone(example)).test_client().get("/").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in page
    assert 'href="javascript:' not in page


def test_an_unreadable_sheet_is_explained_on_the_list_page(example):
    (example / "plan.xlsx").write_text("not a workbook")
    response = create_app(make_backbone(example)).test_client().get("/")
    page = response.get_data(as_text=True)
    assert "Planeringsarket kunde inte läsas" in page and "plan.xlsx" in page and "Traceback" not in page
    assert "Synka nu" in page


# --- recaps -----------------------------------------------------------------------------------

def test_the_word_recap_downloads_with_the_cli_file_name(client):
    response = client.get("/workshops/ci2/report.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="2021-05-04 Collective Impact 2 - sammanfattning.docx"')
    assert "filename*=UTF-8''2021-05-04%20Collective%20Impact%202%20%E2%80%93%20sammanfattning.docx" in disposition
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert TITLE in text


def test_the_recap_language_can_be_chosen(client):
    response = client.get("/workshops/ci2/report.docx?lang=en")
    assert "summary.docx" in response.headers["Content-Disposition"]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_pdf_recap_downloads(client):
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: the PDF cannot be made here")
    response = client.get("/workshops/ci2/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith("sammanfattning.pdf")


def test_without_libreoffice_the_pdf_answers_503_with_a_readable_message(client, monkeypatch):
    import reports.pdf
    monkeypatch.setattr(reports.pdf.shutil, "which", lambda name: None)
    response = client.get("/workshops/ci2/report.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "LibreOffice saknas på servern" in page and "Traceback" not in page


def test_an_unknown_workshop_is_a_readable_404(client):
    response = client.get("/workshops/nosuch/report.docx")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Hittades inte" in page and "nosuch" in page and "ci2" in page and "Traceback" not in page


def test_other_errors_are_readable_pages_never_tracebacks(example, backbone, monkeypatch):
    client = create_app(backbone).test_client()
    (example / "plan.xlsx").write_text("not a workbook")
    response = client.get("/workshops/ci2/report.docx")
    assert response.status_code == 500 and "plan.xlsx" in response.get_data(as_text=True)

    def crash(*_, **__):
        raise RuntimeError("internal detail /etc/secret")
    monkeypatch.setattr(backbone, "report", crash)
    response = client.get("/workshops/ci2/report.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Ett oväntat fel" in page
    assert "internal detail" not in page and "Traceback" not in page


def test_unknown_pages_and_methods_are_readable(client):
    assert "Sidan finns inte" in client.get("/nowhere").get_data(as_text=True)
    assert client.delete("/sync").status_code == 405


# --- sync, progress and runs ------------------------------------------------------------------

def test_sync_now_runs_in_the_background_and_reports_its_result(client):
    response = client.post("/sync")
    assert response.status_code == 303 and response.headers["Location"] == "/sync"
    status = finished_status(client)
    assert status["result"] == "ok" and status["counts"]["new"] > 0 and status["run_id"] == 1
    assert any("ci2" in line for line in status["lines"])
    assert "Synken är klar: lyckades" in status["summary"]
    page = client.get("/sync").get_data(as_text=True)
    assert "Synken är klar: lyckades" in page and 'http-equiv="refresh"' not in page
    runs = client.get("/runs").get_data(as_text=True)
    assert "#1" in runs and f"{status['counts']['new']} nya" in runs
    last_run = client.get("/").get_data(as_text=True).split('id="last-run"')[1].split("</dd>")[0]
    assert status["ended"] in last_run and "lyckades" in last_run


def test_progress_lines_are_said_in_each_visitors_language_while_the_sheet_keeps_the_setting(example, client):
    client.post("/sync")
    finished_status(client)
    swedish = client.get("/sync/status").get_json()["lines"]
    english = client.get("/sync/status?lang=en").get_json()["lines"]
    assert "[1/1] ci2: hämtar tavlan" in swedish and "[1/1] ci2: 31 idéer, 5 åtgärder" in swedish
    assert "[1/1] ci2: loading the board" in english and "[1/1] ci2: 31 ideas, 5 actions" in english
    assert "läser" not in " ".join(english) and "hämtar" not in client.get("/sync?lang=en").get_data(as_text=True)
    log = openpyxl.load_workbook(example / "plan.xlsx")["Synklogg"]  # the run itself wrote BACKBONE_LANGUAGE (sv)
    assert "lyckades" in [cell.value for cell in log[log.max_row]]


def test_a_second_sync_while_one_runs_is_told_so(client, backbone, monkeypatch):
    gate = Gate(backbone.sync)
    monkeypatch.setattr(backbone, "sync", gate)
    first = client.post("/sync", headers={"Accept": "application/json"})
    assert first.status_code == 202 and first.get_json()["started"] is True
    assert gate.entered.wait(10)
    second = client.post("/sync", headers={"Accept": "application/json"})
    assert second.status_code == 409 and second.get_json() == {
        "started": False, "running": True, "message": "En synk pågår redan – här följer du den.",
        "status_url": "/sync/status"}
    from_form = client.post("/sync")
    assert from_form.status_code == 303 and from_form.headers["Location"] == "/sync?already=1"
    page = client.get("/sync?already=1").get_data(as_text=True)
    assert "En synk pågår redan" in page and "Synken pågår" in page
    assert '<noscript><meta http-equiv="refresh"' in page and "/static/sync.js" in page  # works with and without JS
    assert client.get("/sync/status").get_json()["state"] == "running"
    gate.release.set()
    assert finished_status(client)["result"] == "ok" and gate.calls == 1


def test_runs_show_conflicts_and_errors(example, backbone, client):
    assert "Ingen synk har körts ännu" in client.get("/runs").get_data(as_text=True)
    backbone.state.record_run({"started": "2024-06-01 02:00:00", "ended": "2024-06-01 02:00:05", "result": "partial",
                               "new": 1, "conflicts": 1, "message": "ci9: board <gone>",
                               "details": {"failures": [["ci9", "board <gone>"]],
                                           "conflicts": [{"tab": "Idéer", "row_id": "n1", "column": "Text",
                                                          "sheet_value": "Edited <b>", "board_value": "Board"}]}})
    page = client.get("/runs").get_data(as_text=True)
    assert "delvis klar" in page and "ci9: board &lt;gone&gt;" in page
    assert "Konflikter (1)" in page and "arket behöll ”Edited &lt;b&gt;”" in page
    assert "1 ny, 0 ändrade, 0 borttagna från tavlan, 1 konflikt" in page  # plural forms, not "1 konflikter"
    english = client.get("/runs?lang=en").get_data(as_text=True)
    assert "1 new, 0 changed, 0 removed from the board, 1 conflict<" in english


def test_health_reports_the_last_run_without_auth(example):
    backbone = make_backbone(example, web_password="hemligt")
    client = create_app(backbone).test_client()
    assert client.get("/health").get_json() == {"status": "ok", "last_run": None, "next_run": None}
    client.post("/sync", headers=basic("x", "hemligt"))
    finished_status(_authed(client))
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["last_run"]["result"] == "ok" and body["last_run"]["new"] > 0
    assert set(body["last_run"]) == {"id", "started", "ended", "result", "new", "changed", "removed", "conflicts"}
    (example / "plan.xlsx").write_text("not a workbook")
    client.post("/sync", headers=basic("x", "hemligt"))
    finished_status(_authed(client))
    response = client.get("/health")
    assert response.status_code == 503 and response.get_json()["status"] == "failing"
    assert response.get_json()["last_run"]["result"] == "failed"


class _authed:
    """A test client that sends the password with every GET."""

    def __init__(self, client):
        self.client = client

    def get(self, path):
        return self.client.get(path, headers=basic("x", "hemligt"))


# --- security ---------------------------------------------------------------------------------

def test_a_password_protects_every_page_but_health(example):
    client = create_app(make_backbone(example, web_password="rätt lösen")).test_client()
    missing = client.get("/")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == 'Basic realm="backbone", charset="UTF-8"'
    assert client.get("/", headers=basic("anna", "fel")).status_code == 401
    assert client.get("/", headers=basic("anna", "rätt lösen")).status_code == 200
    assert client.get("/", headers=basic("", "rätt lösen")).status_code == 200  # any user name
    for path in ("/runs", "/sync", "/sync/status", "/workshops/ci2/report.docx", "/static/style.css", "/nowhere"):
        assert client.get(path).status_code == 401, path
    assert client.post("/sync").status_code == 401
    assert client.get("/health").status_code == 200
    assert "rätt lösen" not in client.get("/", headers=basic("a", "rätt lösen")).get_data(as_text=True)


def test_posts_from_other_sites_are_refused(client, backbone, monkeypatch):
    monkeypatch.setattr(backbone, "sync", lambda **_: (_ for _ in ()).throw(AssertionError("must not run")))
    for origin in ("https://evil.example", "http://localhost:9999", "https://localhost", "null"):
        response = client.post("/sync", headers={"Origin": origin})
        assert response.status_code == 403, origin
    monkeypatch.undo()
    assert client.post("/sync", headers={"Origin": "http://localhost"}).status_code == 303  # same origin
    finished_status(client)
    assert client.post("/sync").status_code == 303  # no Origin: curl, a monitor
    finished_status(client)
    assert client.post("/sync", headers={"Origin": "http://localhost:8080", "Host": "localhost:8080"}).status_code == 303
    finished_status(client)


def test_security_headers_on_every_response(client):
    for path in ("/", "/health", "/static/style.css", "/nowhere"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "http" not in policy and "unsafe" not in policy
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("https://app.mural.co", "") and "<style" not in page and "style=" not in page


# --- language and logs ------------------------------------------------------------------------

def test_english_on_request_and_remembered(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Sync now" in page and "Next scheduled sync" in page and "Recap (Word)" in page and 'lang="en"' in page
    assert "Sync now" in client.get("/").get_data(as_text=True)  # the cookie remembers it
    assert "Synka nu" in client.get("/?lang=sv").get_data(as_text=True)


def test_the_installation_language_wins_over_the_browser_until_the_person_picks(example):
    client = create_app(make_backbone(example)).test_client()
    # an English browser on a Swedish installation: Swedish, as the README says
    assert "Synka nu" in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert "Synka nu" in client.get("/").get_data(as_text=True)
    english = create_app(make_backbone(example, language="en")).test_client()
    assert "Sync now" in english.get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9"}).get_data(as_text=True)
    assert "Synka nu" in english.get("/?lang=sv", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Synka nu" in english.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)  # the cookie


def test_one_log_line_per_request_without_the_authorization_header(example, caplog):
    client = create_app(make_backbone(example, web_password="s3cret-pw")).test_client()
    caplog.set_level(logging.INFO, logger="sync.entry.web")
    client.get("/runs?x=1", headers=basic("anna", "s3cret-pw"))
    lines = [r for r in caplog.records if r.name == "sync.entry.web.requests"]
    assert len(lines) == 1 and lines[0].getMessage().startswith("GET /runs 200 ")
    assert lines[0].getMessage().endswith("ms")
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert entry["method"] == "GET" and entry["path"] == "/runs" and entry["status"] == 200 and entry["ms"] >= 0
    everything = "\n".join(r.getMessage() + json.dumps(getattr(r, "fields", {})) for r in caplog.records)
    assert "s3cret-pw" not in everything and base64.b64encode(b"anna:s3cret-pw").decode() not in everything


def test_one_log_line_per_run_with_result_and_counts(client, caplog):
    caplog.set_level(logging.INFO, logger="sync.entry.web")
    client.post("/sync")
    finished_status(client)
    runs = [r for r in caplog.records if r.name == "sync.entry.web.runs"]
    assert len(runs) == 1 and runs[0].getMessage().startswith("sync ok (web): ")
    assert runs[0].fields["result"] == "ok" and runs[0].fields["new"] > 0


def test_download_names_keep_swedish_letters_with_an_ascii_fallback():
    assert ascii_filename("Åtgärder för Öckerö – \"plan\".docx") == "Atgarder for Ockero - plan.docx"
    assert content_disposition("plain.docx") == 'attachment; filename="plain.docx"'
    assert content_disposition("ö.pdf") == "attachment; filename=\"o.pdf\"; filename*=UTF-8''%C3%B6.pdf"


def card_and_cli_lines(backbone, client, out: Path) -> tuple[list[str], list[str], str]:
    """The left-out lines on ci2's card (unescaped), those `backbone report ci2` prints, and the page."""
    cli_lines = [f"obs: {line}" for line in backbone.report("ci2", out=out).notes if "sammanfattningen" in line]
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('data-workshop="ci2"'):]
    card = card[:card.index("</li>")]
    return [html.unescape(line) for line in re.findall(r'<p class="notice left-out">(.*?)</p>', card)], cli_lines, page


def said_alike(lines: list[str]) -> set[tuple[str, frozenset[str]]]:
    """Each line's sentence and the notes it names, whatever their order."""
    return {(line[:line.index(": '")], frozenset(line[line.index(": '") + 2:].split(", "))) for line in lines}


def test_a_card_says_which_notes_its_recap_leaves_out_as_the_cli_does_escaped(example, backbone):
    """A note a person said no to, and one whose row a person deleted, are named on the workshop's card with the
    sentence `backbone report` prints; the note's text is untrusted and shown as text, never as markup."""
    export = example / "boards" / "biskopsgarden2021.1620111600000.json"
    pages = json.loads(export.read_text("utf-8"))
    sticky = next(w for page in pages for w in page["value"] if w.get("type") == "sticky note")
    sticky["text"], sticky["htmlText"] = "<script>alert(1)</script> & Co", "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</p>"
    export.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    client = create_app(backbone).test_client()
    shown, cli_lines, _ = card_and_cli_lines(backbone, client, example / "out")  # before any sync: the example's "nej"
    assert shown == cli_lines == ["obs: 1 lapp är inte med i sammanfattningen eftersom dess rad i fliken Idéer har "
                                  "I sammanfattningen = nej: 'Parkering: fika nästa gång?'"]
    backbone.sync()
    book = openpyxl.load_workbook(example / "plan.xlsx")
    ideas = book["Idéer"]
    header = [c.value for c in ideas[1]]
    rows = [row for row in ideas.iter_rows(min_row=2) if row[header.index("Workshop")].value == "ci2"]
    said_no = next(row for row in rows if row[header.index("Text")].value == sticky["text"])
    said_no[header.index("I sammanfattningen")].value = "nej"
    deleted = next(row for row in rows if row is not said_no and row[header.index("I sammanfattningen")].value != "nej")
    deleted_text = deleted[header.index("Text")].value
    ideas.delete_rows(deleted[0].row)
    book.save(example / "plan.xlsx")

    shown, cli_lines, page = card_and_cli_lines(backbone, client, example / "out")
    assert len(shown) == 2 and said_alike(shown) == said_alike(cli_lines)  # the card lists texts in the sheet's order
    said = next(line for line in shown if "= nej" in line)
    assert said.startswith("obs: 2 lappar är inte med i sammanfattningen eftersom deras rader i fliken Idéer har "
                           "I sammanfattningen = nej: ") and "'<script>alert(1)</script> & Co'" in said
    assert any(deleted_text[:20] in line and "tog bort" in line for line in shown)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "note: 2 notes are left out of the recap because their rows in the Idéer tab say I sammanfattningen = nej" \
        in english
    assert page.count("left-out") == 2  # only ci2's card
