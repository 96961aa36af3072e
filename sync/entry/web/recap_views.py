"""The recap and the follow-up report as web pages (issue 24): the HTML renderer's article inside the page's
layout, so a coordinator on a phone reads them without Word; the downloads stay on the cards.

Their labels come from the gettext catalogs (sync/core/i18n.py) in the page's language.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, abort, g, render_template
from markupsafe import Markup

from sync.core.i18n import _

if TYPE_CHECKING:
    from sync.bootstrap import Backbone


def page_labels() -> dict[str, str]:
    """The cards' and the report pages' own words, in the request's language (the page speaks it)."""
    return {"recap_page": _("Recap (web page)"), "followup_page": _("Follow-up (web page)"),
            "recap_page_of": _("Recap of {title} as a web page"), "download_word": _("Download as Word"),
            "publish": _("Draft in WordPress"),
            "publish_help": _("Write the recap as a draft post on the WordPress site (the same draft each time); a "
                              "person publishes it in WordPress")}


def install_recap_views(app: Flask, backbone: Backbone) -> None:
    publishing = bool(backbone.settings.wordpress_url.strip())  # the button only where WordPress is configured
    app.context_processor(lambda: {"labels": page_labels(), "publish_ready": publishing})

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

    @app.post("/workshops/<workshop_id>/publish")
    def publish(workshop_id: str):
        """`backbone publish` from the card: the recap (in BACKBONE_LANGUAGE, the site's) as the workshop's draft."""
        if not publishing:
            abort(404)
        done = backbone.publish(workshop_id)
        assert done.post is not None  # not a dry run
        said = _("Updated draft {id} in WordPress: {link}") if done.updated else _("Wrote draft {id} in WordPress: {link}")
        return render_template("published.html", message=said.format(id=done.post.id, link=done.post.link or "-"),
                               link=done.post.link, notes=done.lines)
