"""A .docx to PDF with LibreOffice, headless.

Each call gets its own LibreOffice profile: two conversions sharing one profile make the second
exit without output. LibreOffice's exit code is not trusted either (a text file named .docx
"converts" with rc=0), so the PDF must exist and be non-empty. The PDF is made in a private
folder and copied into place atomically, so a stale PDF from an earlier run can never pass for a
new one, and a full disk leaves no half-written PDF (and is said as `report` says it for the .docx).
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from reports.docx_recap import unwritable
from sync.adapters.files import replaced_atomically
from sync.core.errors import BackboneError, ConfigError
from sync.core.i18n import N_, _

MISSING = N_("LibreOffice is needed for PDF: install it (Debian: apt-get install libreoffice-writer-nogui)")


def find_soffice(soffice: str | None = None) -> str:
    found = shutil.which(soffice) if soffice else (shutil.which("soffice") or shutil.which("libreoffice"))
    if not found:
        raise ConfigError(_(MISSING) if not soffice else _(
            "LibreOffice is needed for PDF: install it (Debian: apt-get install libreoffice-writer-nogui); not found: "
            "{program}").format(program=soffice))
    return found


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else _("no output")


def convert_to_pdf(docx: Path, out_dir: Path | None = None, *, soffice: str | None = None, timeout: float = 120) -> Path:
    docx = Path(docx).resolve()
    out_dir = Path(out_dir).resolve() if out_dir else docx.parent
    program = find_soffice(soffice)
    if not docx.is_file():
        raise BackboneError(_("cannot convert {path} to PDF: the file does not exist").format(path=docx))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{docx.stem}.pdf"
    profile = _private_folder("backbone-lo-profile-", target)
    try:
        staging = _private_folder("backbone-pdf-", target)
    except BackboneError:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    command = [program, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(staging), str(docx)]
    try:
        # A session of its own, so a timeout can stop soffice.bin too, not only the wrapper script.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output = process.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise BackboneError(_("LibreOffice took longer than {seconds} s to convert {file} to PDF; stopped it").format(
                seconds=f"{timeout:g}", file=docx.name)) from None
        made = staging / f"{docx.stem}.pdf"
        if not made.is_file() or made.stat().st_size == 0:
            _room_for(made, target, docx.stat().st_size)  # a full disk is why, more often than not: say so
            raise BackboneError(_("LibreOffice could not convert {file} to PDF (exit {code}): {said}").format(
                file=docx.name, code=process.returncode, said=_last_line(output)))
        try:
            with replaced_atomically(target, shared=True) as temporary:  # as the .docx: what the umask allows
                _copy_pdf(made, temporary)
        except OSError as exc:
            raise unwritable(target, exc) from None
        return target
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)


def _private_folder(prefix: str, target: Path) -> Path:
    try:
        return Path(tempfile.mkdtemp(prefix=prefix))
    except OSError as exc:  # the temporary folder's disk is full
        raise unwritable(target, exc) from None


def _copy_pdf(made: Path, path: Path) -> None:
    """The one place a PDF's bytes reach the reports folder (the tests fill the disk here)."""
    shutil.copyfile(made, path)


def _room_for(made: Path, target: Path, size: int) -> None:
    """After LibreOffice made no PDF: whether the disk it wrote to could take one (about the size of the .docx);
    a full disk is said as such, not as LibreOffice's own words."""
    probe = made.with_suffix(".room")
    try:
        with open(probe, "wb") as room:
            _write_room(room, size)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise unwritable(target, exc) from None
    finally:
        probe.unlink(missing_ok=True)


def _write_room(room, size: int) -> None:
    """The one place the probe's bytes reach the disk (the tests fill the disk here)."""
    room.write(bytes(max(size, 64 * 1024)))
    room.flush()
    os.fsync(room.fileno())
