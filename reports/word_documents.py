"""The document renderer of recaps and follow-up reports: Word files from editable templates, PDF through LibreOffice."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sync.ports import DocumentRenderer


class WordDocuments(DocumentRenderer):
    """docxtpl fills the templates (reports/docx_recap.py, reports/docx_followup.py); soffice makes the PDF.
    Each is imported when first used: docxtpl and its Jinja2 take longer to import than most commands run."""

    def recap_name(self, context: dict) -> str:
        from reports.docx_recap import report_filename
        return report_filename(context)

    def write_recap(self, context: dict, *, template: Path | None, out: Path, author: str, created: dt.datetime) -> Path:
        from reports.docx_recap import bundled_template, render_report
        if out.is_dir() or out.suffix.lower() != ".docx":  # a folder, existing or to be made
            out = out / self.recap_name(context)
        return render_report(context, template or bundled_template(context["lang"]), out, title=context["title"],
                             author=author, created=created)

    def write_followup(self, context: dict, *, template: Path | None, out: Path, author: str,
                       created: dt.datetime) -> Path:
        from reports.docx_followup import write_followup
        return write_followup(context, template, out, author=author, created=created)

    def to_pdf(self, document: Path) -> Path:
        from reports.pdf import convert_to_pdf
        return convert_to_pdf(document, document.parent)

    def can_make_pdf(self) -> bool:
        from reports.pdf import find_soffice
        from sync.core.errors import ConfigError
        try:
            find_soffice()
        except ConfigError:
            return False
        return True

    def template_problems(self, template: Path, *, followup: bool = False) -> list[str]:
        if followup:
            from reports.docx_followup import check_followup_template
            return check_followup_template(template)
        from reports.docx_recap import template_problems
        return template_problems(template)

    def chart_png(self, data: dict, lang: str) -> bytes:
        from reports.followup_chart import SCREEN_DPI, chart_png
        return chart_png(data, lang, dpi=SCREEN_DPI)
