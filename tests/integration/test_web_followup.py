"""The web page's follow-up button and a run's change view, through Flask's test client."""
from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from docx import Document

from sync.entry.web import create_app


@pytest.mark.slow
def test_the_followup_button_downloads_the_report_and_records_it(backbone):
    backbone.sync()
    client = create_app(backbone).test_client()
    page = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert 'action="/followup"' in page and "Uppföljning (Word)" in page
    response = client.post("/followup", headers={"Accept-Language": "sv"})
    assert response.status_code == 200
    assert unquote(response.headers["Content-Disposition"]).endswith(" uppföljning.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "Försenade åtgärder" in text and "Ungdomsråd – försenad" in text
    assert backbone.state.last_followup() is not None  # the next follow-up counts from this one
    english = client.post("/followup?lang=en")
    assert "Overdue actions" in "\n".join(p.text for p in Document(io.BytesIO(english.data)).paragraphs)


def test_a_foreign_origin_cannot_write_a_followup(backbone):
    client = create_app(backbone).test_client()
    assert client.post("/followup", headers={"Origin": "https://evil.example"}).status_code == 403
    assert backbone.state.last_followup() is None


def test_the_run_view_lists_what_the_run_changed_per_workshop(backbone):
    run = backbone.sync().run_id
    client = create_app(backbone).test_client()
    runs = client.get("/runs?lang=en").get_data(as_text=True)
    assert f'href="/runs/{run}"' in runs
    page = client.get(f"/runs/{run}").get_data(as_text=True)
    assert 'data-workshop="ci2"' in page and "New actions (5)" in page and "New notes (30)" in page
    assert "Avtal med syfte &amp; mål" in page  # escaped, as all board text
    second = backbone.sync().run_id
    page = client.get(f"/runs/{second}").get_data(as_text=True)
    assert "Nothing was added, changed or removed." in page
    assert client.get("/runs/999").status_code == 404
    assert client.get("/runs/99999999999999999999999").status_code == 404  # beyond SQLite's integers: no run either
    assert "Not found" in client.get("/runs/99999999999999999999999").get_data(as_text=True)


def test_the_page_shows_the_series_chart_with_alt_text(backbone):
    backbone.sync()
    client = create_app(backbone).test_client()
    page = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert '<img src="/followup/chart.png" alt="Diagram. Till vänster åtgärderna i varje workshop efter status: ' in page
    assert "Collective Impact 2: 23 personer från 20 organisationer" in page.split('id="series-chart"')[1]
    picture = client.get("/followup/chart.png?lang=en")
    assert picture.status_code == 200 and picture.mimetype == "image/png" and picture.data.startswith(b"\x89PNG")
    from PIL import Image
    assert Image.open(io.BytesIO(picture.data)).size[0] > 600  # legible on a screen
    english = client.get("/").get_data(as_text=True)  # the language picked is remembered
    assert 'alt="Chart. On the left, each workshop' in english
