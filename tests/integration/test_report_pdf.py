"""PDF conversion with the real LibreOffice (installed in CI; skipped only where it is absent)."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from reports.docx_recap import bundled_template, render_report, report_filename
from reports.pdf import MISSING, convert_to_pdf
from reports.sample import sample_board, sample_planning, sample_workshop
from sync.core import i18n
from sync.core.errors import BackboneError, ConfigError
from sync.core.recap_context import build_report_context

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not on PATH; apt-get install libreoffice-writer-nogui")


@pytest.fixture
def recap(tmp_path):
    context = build_report_context(sample_workshop(), sample_board(), sample_planning(), organisation="RISE",
                                   generated=datetime(2024, 6, 12, 14, 5))
    return render_report(context, bundled_template("sv"), tmp_path / report_filename(context),
                         title=context["title"], author="RISE", created=datetime(2024, 6, 12, tzinfo=UTC))


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_soffice
def test_a_rendered_recap_converts_with_its_title_and_numbered_list(recap, tmp_path):
    out = tmp_path / "pdf"
    pdf = convert_to_pdf(recap, out)
    assert pdf == out / f"{recap.stem}.pdf" and pdf.stat().st_size > 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Collective Impact 2: Struktur och arbetssätt – sammanfattning" in flat
    assert re.search(r"^\s*1\.\s+Börjar med en gemensam agenda", text, re.MULTILINE)
    assert re.search(r"^\s*5\.\s+En stark organisatorisk ryggrad", text, re.MULTILINE)
    assert re.search(r"^\s*HUR:\s*$", text, re.MULTILINE)  # the empty HUR of "Avtal med syfte & mål"
    assert [p.name for p in out.iterdir()] == [pdf.name]  # no staging folder or profile left behind


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_soffice
def test_a_timeout_stops_libreoffice_with_one_line(recap):
    with pytest.raises(BackboneError, match="tog längre tid än 0.05 s") as caught:
        convert_to_pdf(recap, timeout=0.05)
    assert "\n" not in str(caught.value)
    assert not recap.with_suffix(".pdf").exists()


@needs_soffice
def test_a_missing_input_is_a_backbone_error(tmp_path):
    with pytest.raises(BackboneError, match="kan inte göra en PDF av .*missing.docx: filen finns inte"):
        convert_to_pdf(tmp_path / "missing.docx")
    with pytest.raises(BackboneError, match="missing.docx to PDF: the file does not exist"), i18n.speaking("en"):
        convert_to_pdf(tmp_path / "missing.docx")


def test_missing_libreoffice_is_a_config_error(recap):
    with pytest.raises(ConfigError) as caught:
        convert_to_pdf(recap, soffice="no-such-soffice-here")
    assert str(caught.value) == ("LibreOffice behövs för PDF: installera det (Debian: apt-get install "
                                 "libreoffice-writer-nogui); hittades inte: no-such-soffice-here")
    assert caught.value.exit_code == 2 and MISSING.startswith("LibreOffice is needed for PDF")


@pytest.mark.libreoffice
@pytest.mark.slow
@needs_soffice
def test_the_pdf_uses_carlito_for_the_templates_calibri(recap, tmp_path):
    """Carlito (fonts-crosextra-carlito, installed by .ci/run) has Calibri's widths: the PDF breaks as Word."""
    pdf = convert_to_pdf(recap, tmp_path / "pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Carlito" in fonts, f"install fonts-crosextra-carlito; the PDF fell back to:\n{fonts}"
    assert "DejaVu" not in fonts
