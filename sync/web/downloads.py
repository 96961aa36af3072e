"""Recaps built on demand for download, named as the CLI names them.

Each request renders into its own temporary folder and the bytes are sent from memory, so two
people downloading at once never read each other's half-written file, and nothing piles up.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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


def build_recap(backbone, workshop_id: str, kind: str, lang: str | None) -> Download:
    """The recap of one workshop as .docx or .pdf; BackboneError as backbone.report raises it."""
    folder = Path(tempfile.mkdtemp(prefix="backbone-web-report-"))
    try:
        files = backbone.report(workshop_id, lang=lang, out=folder, pdf=(kind == "pdf"))
        path = files.pdf if kind == "pdf" else files.docx
        return Download(path.name, path.read_bytes(), MIMETYPES[kind])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
