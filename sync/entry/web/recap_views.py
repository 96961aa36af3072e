"""The recap and the follow-up report as web pages (issue 24): the HTML renderer's article inside the page's
layout, so a coordinator on a phone reads them without Word; the downloads stay on the cards.

Their labels come from the gettext catalogs (sync/core/i18n.py) in the page's language.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, g, render_template
from markupsafe import Markup

from sync.core.i18n import _

if TYPE_CHECKING:
    from sync.bootstrap import Backbone


def page_labels() -> dict[str, str]:
    """The cards' and the report pages' own words, in the request's language (the page speaks it)."""
    return {"recap_page": _("Recap (web page)"), "followup_page": _("Follow-up (web page)"),
            "recap_page_of": _("Recap of {title} as a web page"), "download_word": _("Download as Word")}


def install_recap_views(app: Flask, backbone: Backbone) -> None:
    app.context_processor(lambda: {"labels": page_labels()})

    @app.get("/workshops/<workshop_id>/recap")
    def recap_page(workshop_id: str):
        """The recap, rendered now from the sheet and the board (as a download would be), in the page's language."""
        article = backbone.recap_html(workshop_id, lang=g.lang, document=False)  # escaped by the renderer
        return render_template("report_page.html", article=Markup(article), workshop_id=workshop_id)

    @app.get("/followup/view")
    def followup_page():
        """The follow-up report since the last one written, as a page; viewing it records nothing."""
        article = backbone.followup_html(lang=g.lang, document=False)
        return render_template("report_page.html", article=Markup(article), workshop_id=None)
