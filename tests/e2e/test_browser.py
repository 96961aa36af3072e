"""The page in real headless Chromium: "Synka nu", wait for the result, download the Word recap.

The real server (waitress) runs on 127.0.0.1, port 0, in a thread, on a copy of the bundled example.
"""
from __future__ import annotations

import dataclasses
import shutil
import threading
from pathlib import Path

import pytest
from docx import Document

from sync.bootstrap import Backbone
from sync.entry.web.serve import WebService
from sync.settings import load_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")]


@pytest.fixture
def server(tmp_path):
    folder = tmp_path / "biskopsgarden"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("var", "reports"))
    settings = load_settings(folder / "settings.env", environ={})
    service = WebService(Backbone(dataclasses.replace(settings, web_password="")), "127.0.0.1", 0)
    thread = threading.Thread(target=service.run, name="backbone-web-test", daemon=True)
    thread.start()
    yield service
    service.stop()
    thread.join(10)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_sync_now_then_download_the_word_recap(server, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(locale="sv-SE", viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    problems = watched(page, server)

    page.goto(server.url + "/")
    expect(page.locator('[data-workshop="ci2"] h2')).to_have_text("Collective Impact 2")
    page.screenshot(path=str(tmp_path / "workshops-phone.png"), full_page=True)

    page.get_by_role("button", name="Synka nu").click()
    expect(page.locator("#sync-result")).to_contain_text("Synken är klar: lyckades", timeout=30_000)
    expect(page.locator("#sync-lines li").first).to_contain_text("läser arket")
    page.screenshot(path=str(tmp_path / "sync-phone.png"), full_page=True)

    page.get_by_role("link", name="Tillbaka till workshopparna").click()
    expect(page.locator("#last-run")).to_contain_text("lyckades")
    with page.expect_download() as download_info:
        page.locator('[data-workshop="ci2"]').get_by_role("link", name="Sammanfattning (Word)").click()
    download = download_info.value
    assert download.suggested_filename == "2021-05-04 Collective Impact 2 – sammanfattning.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(paragraph.text for paragraph in Document(saved).paragraphs)
    assert "Collective Impact 2" in text
    assert problems == []  # no CSP violations, no script errors, nothing fetched from elsewhere
    context.close()


def watched(page, server) -> list[str]:
    """What goes wrong on the page as it is used: script errors, CSP violations, anything fetched from elsewhere."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith(server.url)
            else problems.append(f"outside request: {request.url}"))
    return problems


def recap_card(page):
    return page.locator('[data-workshop="ci2"]')


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH")
@pytest.mark.libreoffice
def test_the_pdf_button_gives_a_pdf_where_libreoffice_is_installed(server, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(locale="sv-SE", viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/")
    card = recap_card(page)
    expect(card.get_by_role("link", name="Sammanfattning (PDF)")).to_be_visible()
    expect(card.locator(".no-pdf")).to_have_count(0)
    with page.expect_download(timeout=120_000) as download_info:
        card.get_by_role("link", name="Sammanfattning (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "2021-05-04 Collective Impact 2 – sammanfattning.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    context.close()


def test_without_libreoffice_the_card_says_why_and_the_pdf_address_shows_the_reason(server, browser, tmp_path,
                                                                                   monkeypatch):
    """No PDF button to click in vain: the card says why. Someone who still opens the PDF address (a bookmark)
    sees the reason as a page, not a download that silently never comes."""
    from playwright.sync_api import expect

    nothing = tmp_path / "no-programs"
    nothing.mkdir()
    monkeypatch.setenv("PATH", str(nothing))  # the server (in this process) finds no soffice now
    context = browser.new_context(locale="sv-SE", viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/")
    card = recap_card(page)
    expect(card.get_by_role("link", name="Sammanfattning (Word)")).to_be_visible()
    expect(card.get_by_role("link", name="Sammanfattning (PDF)")).to_have_count(0)
    expect(card.locator(".no-pdf")).to_have_text("Ingen PDF: LibreOffice saknas på servern. Hämta Word-filen, eller be "
                                                 "den som sköter servern att installera LibreOffice.")
    page.screenshot(path=str(tmp_path / "no-pdf-phone.png"), full_page=True)
    page.goto(server.url + "/workshops/ci2/report.pdf")
    expect(page.locator("main")).to_contain_text("LibreOffice saknas på servern, så PDF kan inte skapas")
    context.close()


def test_the_recap_and_the_follow_up_read_as_pages_on_a_phone(server, browser, tmp_path):
    """Issue 24's pages in a real browser: from the card to the recap as a page, the seed's headings and words, no
    sideways scrolling on a phone, nothing fetched from elsewhere; then the follow-up page, which records nothing."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="sv-SE", viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    problems = watched(page, server)
    page.goto(server.url + "/")
    recap_card(page).get_by_role("link", name="Sammanfattning (webbsida)").click()

    article = page.locator(".report article")
    expect(article).to_have_attribute("lang", "sv")
    expect(article.locator("h1")).to_contain_text("Collective Impact 2 – sammanfattning")
    expect(article.locator("h2").first).to_have_text("Övning 1. Viktiga hållplatser för att uppnå ett verksamt CI "
                                                     "Biskopsgården (tematiska arbetsgrupper)")
    expect(article).to_contain_text("Sammanlagt 23 engagerade intressenter från 20 olika organisationer deltog.")
    expect(article.get_by_role("link", name="https://vhbasket.se/wp-content/uploads/2021/05/CI-workshop-2.pdf")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    page.screenshot(path=str(tmp_path / "recap-page-phone.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hämta som Word").click()
    assert download_info.value.suggested_filename == "2021-05-04 Collective Impact 2 – sammanfattning.docx"

    page.goto(server.url + "/")
    page.locator("#followup-page").click()
    expect(page.locator(".report article h1")).to_be_visible()
    expect(page.locator(".report article")).to_have_attribute("lang", "sv")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []
    context.close()
