"""Recaps built on demand for download, named as the CLI names them.

Each request renders into its own temporary folder and the bytes are sent from memory, so two
people downloading at once never read each other's half-written file, and nothing piles up.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from sync.bootstrap import Backbone

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Typographic characters the ASCII fallback spells out instead of dropping.
_ASCII_SPELLINGS = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": "'", "”": "'", "…": "..."})


def ascii_filename(name: str) -> str:
    """For clients that do not read filename*: å -> a, – -> -, quotes and control characters gone."""
    spelled = unicodedata.normalize("NFKD", name.translate(_ASCII_SPELLINGS))
    plain = spelled.encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r'[\x00-\x1f\x7f"\\;]', "", plain)
    return " ".join(plain.split()) or "download"


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII filename= and, when they differ, RFC 5987's UTF-8 filename*."""
    fallback = ascii_filename(name)
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


@dataclass(frozen=True)
class Download:
    name: str
    data: bytes
    mimetype: str


def build_recap(backbone: Backbone, workshop_id: str, kind: str, lang: str | None) -> Download:
    """The recap of one workshop as .docx or .pdf; BackboneError as backbone.report raises it."""
    folder = Path(tempfile.mkdtemp(prefix="backbone-web-report-"))
    try:
        files = backbone.report(workshop_id, lang=lang, out=folder, pdf=(kind == "pdf"))
        path = files.pdf if kind == "pdf" else files.docx
        assert path is not None  # asked for a PDF, report() gives one or raises
        return Download(path.name, path.read_bytes(), MIMETYPES[kind])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class QueueFull(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"too many PDFs in line; retry after {retry_after} s")
        self.retry_after = retry_after


class PdfQueue:
    """PDF recaps queue behind a small pool of their own: each runs a LibreOffice (seconds of CPU and
    memory), and a request waiting for one holds a server thread. So at most `workers` convert at
    once and at most `waiting` more wait; beyond that, or after `patience` seconds in line, the
    answer is 503 with Retry-After, and the server's other threads stay free for pages and /health."""

    def __init__(self, workers: int = 2, waiting: int = 14, patience: float = 120.0, retry_after: int = 10):
        self.capacity, self.patience, self.retry_after = workers + waiting, patience, retry_after
        self._workers = threading.BoundedSemaphore(workers)
        self._count_lock = threading.Lock()
        self._in_line = 0  # converting or waiting

    @contextmanager
    def slot(self):
        with self._count_lock:
            if self._in_line >= self.capacity:
                raise QueueFull(self.retry_after)
            self._in_line += 1
        try:
            if not self._workers.acquire(timeout=self.patience):
                raise QueueFull(self.retry_after)
            try:
                yield
            finally:
                self._workers.release()
        finally:
            with self._count_lock:
                self._in_line -= 1
