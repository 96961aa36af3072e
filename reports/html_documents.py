"""The recap and the follow-up report as HTML: the same contexts as the Word documents, Jinja2 templates shipped as
package data (reports/html/*.html.j2).

Clean semantic HTML only (h1–h3, p, ol/ul/li, a, strong): what a phone shows without styles and what WordPress's
block editor keeps as it is. Everything from the board and the sheet is untrusted: autoescape is on, characters
HTML cannot hold (control characters, noncharacters) are dropped, and a link is a link only when it is http(s).
The words around the context's values come from the gettext catalogs, in the context's language.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sync.adapters.files import replaced_atomically
from sync.core.i18n import _, speaking
from sync.ports import HtmlRenderer

# C0/C1 controls but tab and line feed, lone surrogates and noncharacters: parse errors in HTML.
_NOT_IN_HTML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_WEB_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def clean(value: object) -> object:
    """What a {{ }} prints: a string without the characters HTML cannot hold (None prints as nothing)."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # the templates' own HTML (a macro's, the article in the page): already safe
        return value
    if isinstance(value, str):
        return _NOT_IN_HTML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


def web_link(value: object) -> str:
    """The address when it is an http(s) link a reader may follow, else "" (the text is shown without a link)."""
    text = str(clean(value or "")).strip()
    return text if _WEB_LINK.match(text) else ""


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "html"), autoescape=select_autoescape(["j2", "html"], default=True),
                      undefined=StrictUndefined, finalize=clean, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["web_link"] = web_link
    return env


def recap_words() -> dict[str, str]:
    """The recap's own words in the current language (the catalogs)."""
    return {"slides": _("Here are the slides shown during the workshop, for download:"),
            "how": _("HOW") + ":", "when": _("WHEN") + ":", "who": _("WHO") + ":",
            "prioritised": _("Prioritised actions"), "other_notes": _("Other notes from the board"),
            "made_by": _("Made by backbone"), "made_for": _("Made by backbone for {organisation}")}


def followup_words() -> dict[str, str]:
    """The follow-up report's own words in the current language (the catalogs)."""
    return {"how": _("HOW") + ":", "when": _("WHEN") + ":", "who": _("WHO") + ":", "owner": _("Owner:"),
            "workshop": _("Workshop:"), "status": _("Status:"), "late": _("overdue"),
            "made": _("Follow-up of {moment}."), "overdue": _("Overdue actions"),
            "new": _("New and changed"), "added": _("New actions"), "status_changes": _("Status changes"),
            "actions_changed": _("Actions changed on the board"), "boards": _("On the boards"),
            "by_status": _("Actions by status"), "overdue_here": _("Overdue, described under Overdue actions above:"),
            "attendance": _("Attendance"), "new_orgs": _("New organisations"), "not_back": _("Not back"),
            "workshops": _("The workshops"), "recap": _("Recap:"),
            "made_by": _("Made by backbone"), "made_for": _("Made by backbone for {organisation}")}


class HtmlDocuments(HtmlRenderer):
    """Renders reports/html/recap.html.j2 and followup.html.j2, alone or inside page.html.j2."""

    def _render(self, name: str, context: dict, words: dict, *, document: bool, **flags: bool) -> str:
        template = environment().get_template(name)
        article = template.render(c=context, w=words, **flags)
        if not document:
            return article
        return environment().get_template("page.html.j2").render(c=context, w=words, article=Markup(article))

    def recap_html(self, context: dict, *, document: bool = True, title: bool = True) -> str:
        with speaking(context["lang"]):
            return self._render("recap.html.j2", context, recap_words(), document=document, with_title=title)

    def followup_html(self, context: dict, *, document: bool = True) -> str:
        with speaking(context["lang"]):
            return self._render("followup.html.j2", context, followup_words(), document=document)

    def write_recap_html(self, context: dict, out: Path) -> Path:
        if out.is_dir() or out.suffix.lower() not in (".html", ".htm"):
            from reports.docx_recap import report_filename
            out = out / (report_filename(context).removesuffix(".docx") + ".html")
        html = self.recap_html(context)
        with replaced_atomically(out, shared=True) as temporary:
            temporary.write_text(html, "utf-8")
        return out
