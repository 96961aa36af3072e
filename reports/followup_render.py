"""Write the follow-up report: the recap's renderer (escaping, strict placeholders, atomic save) with
the follow-up's own bundled template, file name and document properties."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from docx import Document

from sync.errors import InputError
from sync.files import replaced_atomically

from . import wording
from .followup_words import word
from .render import LANGUAGE_TAGS, TEMPLATES, render_report

FILE_WORD = {"sv": "uppföljning", "en": "follow-up"}


def bundled_followup_template(lang: str) -> Path:
    if lang not in wording.LANGUAGES:
        raise InputError(f"unknown report language {lang!r}: use one of {', '.join(wording.LANGUAGES)}")
    return TEMPLATES / f"followup.{lang}.docx"


def followup_filename(context: dict) -> str:
    """"2021-12-01 uppföljning.docx"."""
    return f"{context['generated'][:10]} {FILE_WORD[context['lang']]}.docx"


def write_followup(context: dict, template: Path | None, out: Path, *, author: str, created: datetime) -> Path:
    """Render to `out` (a .docx path, or a folder that gets the standard name). Returns the file."""
    lang = context["lang"]
    out = Path(out)
    if out.is_dir() or out.suffix.lower() != ".docx":
        out = out / followup_filename(context)
    path = render_report(context, Path(template or bundled_followup_template(lang)), out,
                         title=context["title"], author=author, created=created)
    # render_report describes a workshop recap; say what this document is.
    document = Document(str(path))
    properties = document.core_properties
    properties.subject = context["title"]
    properties.comments = word(lang, "comments")
    properties.category = word(lang, "category")
    properties.keywords = "Collective Impact; uppföljning; follow-up"
    properties.identifier = ""
    properties.language = LANGUAGE_TAGS.get(lang, lang)
    properties.created = properties.modified = created.astimezone(timezone.utc) if created.tzinfo else created
    with replaced_atomically(path) as temporary:
        document.save(temporary)
    return path
