"""A stand-in for LibreOffice that makes no PDF, as the real one does when the disk it writes to is full: it says
it is converting, then prints its store error and exits 1. Installed as `soffice` in a folder put first on PATH."""
from __future__ import annotations

import sys
from pathlib import Path

SCRIPT = '''import sys
docx, outdir = sys.argv[-1], sys.argv[sys.argv.index("--outdir") + 1]
print(f"convert {docx} -> {outdir}/out.pdf using filter : writer_pdf_Export")
print("Error: Please verify input parameters... (SfxBaseModel::impl_store <file://" + outdir + "/out.pdf> failed: "
      "0x81a(Error Area:Io Class:Write Code:26))")
sys.exit(1)
'''


def soffice_that_makes_no_pdf(folder: Path) -> Path:
    """`folder`/soffice, runnable; put `folder` first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "soffice"
    program.write_text(f"#!{sys.executable}\n{SCRIPT}", "utf-8")
    program.chmod(0o755)
    return program
