"""Write the follow-up report: the recap's renderer (escaping, strict placeholders, atomic save) with
the follow-up's own bundled template, file name and document properties."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from docx import Document

from sync.files import replaced_atomically

from .docx_fixes import link_text
from .followup_words import word
from .render import LANGUAGE_TAGS, bundled_template, render_report

FILE_WORD = {"sv": "uppföljning", "en": "follow-up"}


def bundled_followup_template(lang: str) -> Path:
    return bundled_template(lang, "followup")


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
    link_files(document, {w["recap"] for w in context.get("workshops", ()) if w.get("recap")})
    properties = document.core_properties
    properties.subject = context["title"]
    properties.comments = word(lang, "comments")
    properties.category = word(lang, "category")
    properties.keywords = "Collective Impact; uppföljning; follow-up"
    properties.identifier = ""
    properties.language = LANGUAGE_TAGS.get(lang, lang)
    properties.created = properties.modified = created.astimezone(UTC) if created.tzinfo else created
    with replaced_atomically(path) as temporary:
        document.save(str(temporary))
    return path


def link_files(document, names: set[str]) -> int:
    """Make each recap's file name a link to that file, relative to the report (both sit in the reports
    folder), so it opens from Word. Returns how many links."""
    if not names:
        return 0
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))  # longest first
    return link_text(document, pattern, quote)


def sample_followup_context(lang: str = "sv") -> dict:
    """A follow-up context with every list filled, for checking a template's placeholders."""
    from sync.model import Action, Attendee, Planning, Workshop

    from .followup import Since, build_followup_context

    planning = Planning(
        workshops=(Workshop("ci1", "Collective Impact 1", "2021-04-20", "Mission"),
                   Workshop("ci2", "Collective Impact 2", "2021-05-04", "Struktur")),
        actions=(Action("a1", "ci2", "Processgrupp", "Rösta", "hösten 2021", "Alla", "Pågår"),
                 Action("a2", "ci2", "Behovskartläggning", "Förstudie", "löpande", "Bostadsbolagen", "Klar")),
        attendees=(Attendee("Åsa", "RISE", "ci1"), Attendee("Omar", "Fryshuset", "ci1"), Attendee("Åsa", "RISE", "ci2"),
                   Attendee("Lina", "Fritidsgården", "ci2")),
        ideas={"n1": {"workshop": "ci2", "on_board": "ja"}})
    digest = {"workshops": {"ci2": {"notes_added": {"count": 1, "entries": []},
                                    "actions_changed": {"count": 1, "entries": [{"id": "a1", "text": "Processgrupp"}]}}}}
    since = Since("followup", "2021-11-01 10:00:00", {"a1": ""}, [digest])
    moment = datetime(2021, 12, 1, 9, 0, tzinfo=UTC)
    return build_followup_context(planning, since, lang=lang, today=moment.date(), generated=moment,
                                  organisation="Exempelorganisationen", owners={"a1": "Åsa"}, recaps={"ci2": "ci2.docx"})


def check_followup_template(path: Path) -> list[str]:
    """Placeholders a follow-up template uses that the follow-up context does not give ([] when it fits)."""
    from .placeholders import unknown_placeholders
    from .render import _load

    _, source = _load(Path(path))
    return [u.name for u in unknown_placeholders(source, sample_followup_context())]
