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
from sync.core.i18n import words
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


def recap_words(lang: str) -> dict[str, str]:
    """The recap's own words in `lang`, from the catalogs (the same messages as the Word template's)."""
    w = words(lang)
    return {"slides": w.gettext("Here are the slides shown during the workshop, for download:"),
            "how": w.gettext("HOW:"), "when": w.gettext("WHEN:"), "who": w.gettext("WHO:"),
            "prioritised": w.gettext("Prioritised actions"), "other_notes": w.gettext("Other notes"),
            "made_by": w.gettext("Created by backbone, {moment}"),
            "made_for": w.gettext("Created by backbone for {organisation}, {moment}")}


def followup_words(lang: str) -> dict[str, str]:
    """The follow-up report's own words in `lang`, from the catalogs (the same messages as the Word template's)."""
    w = words(lang)
    return {"how": w.gettext("HOW:"), "when": w.gettext("WHEN:"), "who": w.gettext("WHO:"), "owner": w.gettext("Owner:"),
            "workshop": w.gettext("Workshop:"), "status": w.gettext("Status:"), "late": w.gettext("overdue"),
            "made": w.gettext("Follow-up of {moment}."), "overdue": w.gettext("Overdue actions"),
            "new": w.gettext("New and changed"), "added": w.gettext("New actions"),
            "status_changes": w.gettext("Status changes"), "actions_changed": w.gettext("Actions changed on the board"),
            "boards": w.gettext("On the boards"), "by_status": w.gettext("Actions by status"),
            "overdue_here": w.gettext("Overdue, described under Overdue actions above:"),
            "attendance": w.gettext("Attendance"), "new_orgs": w.gettext("New organisations"),
            "not_back": w.gettext("Not back"), "workshops": w.gettext("The workshops"), "recap": w.gettext("Recap:"),
            "made_by": w.gettext("Created by backbone, {moment}"),
            "made_for": w.gettext("Created by backbone for {organisation}, {moment}")}


class HtmlDocuments(HtmlRenderer):
    """Renders reports/html/recap.html.j2 and followup.html.j2, alone or inside page.html.j2."""

    def _render(self, name: str, context: dict, words: dict, *, document: bool, **flags: bool) -> str:
        template = environment().get_template(name)
        article = template.render(c=context, w=words, **flags)
        if not document:
            return article
        return environment().get_template("page.html.j2").render(c=context, w=words, article=Markup(article))

    def recap_html(self, context: dict, *, document: bool = True, title: bool = True) -> str:
        return self._render("recap.html.j2", context, recap_words(context["lang"]), document=document, with_title=title)

    def followup_html(self, context: dict, *, document: bool = True) -> str:
        return self._render("followup.html.j2", context, followup_words(context["lang"]), document=document)

    def write_recap_html(self, context: dict, out: Path) -> Path:
        if out.is_dir() or out.suffix.lower() not in (".html", ".htm"):
            from reports.docx_recap import report_filename
            out = out / (report_filename(context).removesuffix(".docx") + ".html")
        html = self.recap_html(context)
        with replaced_atomically(out, shared=True) as temporary:
            temporary.write_text(html, "utf-8")
        return out
