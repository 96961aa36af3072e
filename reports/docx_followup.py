"""Write the follow-up report: the recap's renderer (escaping, strict placeholders, atomic save) with
the follow-up's own bundled template, file name and document properties."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from docx import Document
from docx.shared import Cm
from docxtpl import InlineImage

from reports.docx_fixes import link_text
from reports.docx_recap import bundled_template, render_report
from reports.followup_chart import PRINT_DPI, WIDTH_CM, chart_png
from sync.adapters.files import replaced_atomically
from sync.core.i18n import LANGUAGE_TAGS, words
from sync.core.text import remove_invalid_xml


def bundled_followup_template(lang: str) -> Path:
    return bundled_template(lang, "followup")


def followup_filename(context: dict, folder: Path | None = None) -> str:
    """"2021-12-01 uppföljning.docx"; a second one that day in `folder` "2021-12-01 uppföljning 2.docx", so the
    first, perhaps already sent, is never overwritten."""
    name = words(context["lang"]).pgettext("file name", "follow-up")
    stem = f"{context['generated'][:10]} {name}"
    number = 1
    while folder is not None and (folder / (stem + (f" {number}" if number > 1 else "") + ".docx")).exists():
        number += 1
    return stem + (f" {number}" if number > 1 else "") + ".docx"


class PictureWithAlt(InlineImage):
    """docxtpl's InlineImage with a description (alt text) Word shows and screen readers read."""

    def __init__(self, template, image, width, alt: str):
        super().__init__(template, image, width=width)
        self.alt = alt

    def _insert_image(self) -> str:
        alt = escape(self.alt, {'"': "&quot;"})
        xml = super()._insert_image()
        return re.sub(r"<(wp:docPr|pic:cNvPr)\b([^>]*?)(/?)>", lambda m: f'<{m[1]}{m[2]} descr="{alt}"{m[3]}>', xml)


def _chart_picture(context: dict):
    """The chart for the `chart` placeholder, at print resolution; nothing when there is nothing to draw."""
    data = context.get("chart_data") or {}

    def pictures(template) -> dict:
        if not data.get("shown"):
            return {}
        png = chart_png(data, context["lang"], dpi=PRINT_DPI)
        return {"chart": PictureWithAlt(template, io.BytesIO(png), Cm(WIDTH_CM), remove_invalid_xml(data["alt"]))}
    return pictures


def write_followup(context: dict, template: Path | None, out: Path, *, author: str, created: datetime) -> Path:
    """Render to `out` (a .docx path, or a folder that gets the standard name). Returns the file."""
    lang = context["lang"]
    out = Path(out)
    if out.is_dir() or out.suffix.lower() != ".docx":
        out = out / followup_filename(context, out)
    path = render_report(context, Path(template or bundled_followup_template(lang)), out,
                         title=context["title"], author=author, created=created, pictures=_chart_picture(context))
    # render_report describes a workshop recap; say what this document is.
    document = Document(str(path))
    link_files(document, {w["recap"] for w in context.get("workshops", ()) if w.get("recap")})
    properties = document.core_properties
    properties.subject = context["title"]
    properties.comments = words(lang).gettext("Follow-up of the workshop series, made by backbone.")
    properties.category = words(lang).gettext("Follow-up")
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
    from sync.core.followup_context import Since, build_followup_context
    from sync.core.model import Action, Attendee, Planning, Workshop

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
    from reports.docx_recap import _load
    from reports.placeholders import unknown_placeholders

    _, source = _load(Path(path))
    return [u.name for u in unknown_placeholders(source, sample_followup_context())]
