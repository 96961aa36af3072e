"""PDF recaps wait in a line of their own; when it is full the page says so at once (503, Retry-After)."""
from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest

from sync.bootstrap import Backbone
from sync.entry.web import create_app
from sync.entry.web.downloads import PdfQueue, QueueFull
from sync.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"


def test_a_full_line_answers_503_with_retry_after_and_word_still_downloads(example):
    queue = PdfQueue(workers=1, waiting=0)
    backbone = Backbone(dataclasses.replace(load_settings(example / "settings.env", environ={})))
    client = create_app(backbone, pdf_queue=queue).test_client()
    with queue.slot():  # someone else's PDF is being made
        started = time.monotonic()
        response = client.get("/workshops/ci2/report.pdf")
        assert time.monotonic() - started < 2  # told at once, not kept waiting
        assert response.status_code == 503 and response.headers["Retry-After"] == "10"
        assert "Många PDF:er skapas just nu" in response.get_data(as_text=True)
        assert client.get("/workshops/ci2/report.docx").status_code == 200


def test_waiting_is_bounded_and_the_line_frees_its_places():
    queue = PdfQueue(workers=1, waiting=1, patience=0.2)
    entered, release = threading.Event(), threading.Event()

    def convert():
        with queue.slot():
            entered.set()
            release.wait(10)

    worker = threading.Thread(target=convert)
    worker.start()
    assert entered.wait(10)
    started = time.monotonic()
    with pytest.raises(QueueFull):  # second in line: waits its patience, then gives up
        with queue.slot():
            pass
    assert 0.2 <= time.monotonic() - started < 2
    release.set()
    worker.join(10)
    for _ in range(3):  # nothing left held: the places are free again
        with queue.slot():
            pass
