"""The folders of handed-out files (recaps, saved board exports) as `forget` reads them: the HandedOutFiles port.

Read only: these files are in people's hands once written, so a person naming the forgotten one is listed for a
human to check, never rewritten.
"""
from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from sync.core.redact import NameEraser
from sync.ports import HandedOutFiles


def docx_words(xml: str) -> str:
    """Office XML as text: paragraphs, cells, breaks and tabs part words; other tags (run edges) do not."""
    return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>|</w:tc>|<w:br/>|<w:tab/>|</si>|</c>", "\n", xml))


def mentions_file(path: Path, eraser: NameEraser) -> bool:
    """Whether a recap or a board export names the person. A .docx is read as its XML without tags, since Word
    splits text into runs; an unreadable file names nobody (it is not ours to judge)."""
    try:
        if path.suffix.lower() in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                xml = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))
            return eraser.mentions(docx_words(xml))
        text = path.read_bytes().decode("utf-8", "replace")
        if path.suffix.lower() == ".json":  # a board export: MURAL keeps first and last names apart
            data = json.loads(text)
            return eraser.json(data) is not data
        return eraser.mentions(text)
    except (OSError, ValueError, zipfile.BadZipFile):
        return False


class FolderFiles(HandedOutFiles):
    """Every file below the given folders (the recaps' folder, the BACKBONE_BOARDS=files:DIR exports)."""

    def __init__(self, folders: Sequence[Path]):
        self.folders = list(folders)

    def __repr__(self) -> str:
        return f"FolderFiles({[str(f) for f in self.folders]!r})"

    def naming(self, eraser: NameEraser) -> list[Path]:
        found = []
        for folder in self.folders:
            if folder.is_dir():
                files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
                named = {p for p in files if p.suffix.lower() != ".pdf" and mentions_file(p, eraser)}
                # A PDF's text is compressed, so it is not read: it goes with the .docx it was converted from.
                found += [p for p in files if p in named or (p.suffix.lower() == ".pdf" and p.with_suffix(".docx") in named)]
        return found

    def user_ids(self, files: Sequence[Path], eraser: NameEraser) -> set[str]:
        found: set[str] = set()
        for path in (p for p in files if p.suffix.lower() == ".json"):
            try:
                found |= eraser.user_ids(json.loads(path.read_bytes()))
            except (OSError, ValueError):
                continue
        return found
