"""The recap and the follow-up as web pages (sync/entry/web/recap_views.py), through Flask's test client on a copy
of the bundled example: linked from the cards, valid HTML, the seed recap paragraph by paragraph."""
from __future__ import annotations

import pytest

from sync.entry.web import create_app
from tests.e2e.test_cli_example import seed_paragraphs
from tests.e2e.test_html_recap import without_slides_link
from tests.html_blocks import blocks, parse


@pytest.fixture
def client(backbone):
    backbone.sync()
    return create_app(backbone).test_client()


def test_each_card_links_to_its_recap_page_and_the_downloads_stay(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/workshops/ci2/recap"' in page and "Sammanfattning (webbsida)" in page
    assert 'href="/workshops/ci2/report.docx"' in page  # downloads stay
    assert 'href="/followup/view"' in page and "Uppföljning (webbsida)" in page


def test_the_recap_page_is_the_seed_recap_inside_the_layout(client):
    answer = client.get("/workshops/ci2/recap")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    parse(html)  # the whole page, layout included: no parse error
    assert without_slides_link(blocks(html, inside="article")) == seed_paragraphs()
    assert 'href="/workshops/ci2/report.docx?lang=sv"' in html and 'href="/"' in html


def test_the_recap_page_speaks_the_language_the_person_picked(client):
    html = client.get("/workshops/ci2/recap?lang=en").get_data(as_text=True)
    assert "<strong>HOW:</strong>" in html and "Here are the slides shown during the workshop" in html
    assert "English" not in html.split("<article")[1] and "Recap (web page)" in html  # its label, in the title


def test_an_unknown_workshop_is_a_404_page_naming_the_ids(client):
    answer = client.get("/workshops/nope/recap")
    assert answer.status_code == 404
    assert "ci2" in answer.get_data(as_text=True)


def test_the_follow_up_page_records_nothing(client, backbone):
    before = backbone.state.last_followup()
    html = client.get("/followup/view").get_data(as_text=True)
    parse(html)
    got = blocks(html, inside="article")
    assert got[0] == "Uppföljning – Collective Impact Biskopsgården" and "Åtgärder per status" in got
    assert backbone.state.last_followup() == before


def test_without_wordpress_there_is_no_publish_button(client):
    assert "Utkast i WordPress" not in client.get("/").get_data(as_text=True)
    assert client.post("/workshops/ci2/publish").status_code == 404


def test_the_publish_button_writes_one_draft_however_often_it_is_pressed(backbone):
    import dataclasses

    from tests.fakes.wordpress_api import FakeWordPress
    with FakeWordPress(users={"redaktor": "abcd EFGH 1234"}) as wp:
        backbone.settings = dataclasses.replace(backbone.settings, wordpress_url=wp.url, wordpress_user="redaktor",
                                                wordpress_app_password="abcd EFGH 1234")
        backbone.sync()
        client = create_app(backbone).test_client()
        page = client.get("/").get_data(as_text=True)
        assert 'action="/workshops/ci2/publish"' in page and "Utkast i WordPress" in page
        first = client.post("/workshops/ci2/publish")
        assert first.status_code == 200 and "Skrev utkast" in first.get_data(as_text=True)
        second = client.post("/workshops/ci2/publish").get_data(as_text=True)
        assert "Uppdaterade utkast" in second
        (post,) = wp.posts.values()
        assert post["status"] == "draft"
        wp.users["redaktor"] = "nytt"  # the password was changed in WordPress: one line on the error page
        refused = client.post("/workshops/ci2/publish")
        assert refused.status_code >= 400 and "BACKBONE_WORDPRESS_APP_PASSWORD" in refused.get_data(as_text=True)
        assert "abcd EFGH 1234" not in refused.get_data(as_text=True)
