"""A plain (non-editable) `pip install .` ships the recap templates and writes recaps from anywhere.

The wheel pip would install is built from this checkout and unpacked into a folder, which is what
installing a pure-Python wheel amounts to; the recap is then written with only that folder (and the
dependencies) on the path, from a folder far from the checkout.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the wheel is built from: pip builds in the source folder, so the build runs in a copy of these, never
# leaving build/ or *.egg-info in the checkout (a stale build/ there breaks the next build).
SOURCES = ("pyproject.toml", "README.md", "sync", "reports", "templates")


def run_folder(tmp_path_factory) -> Path:
    """This run's temporary folder, the same in every pytest-xdist worker (each has its own basetemp under it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel, built once per run and unpacked: a second worker waits for the first's build, then shares it."""
    shared = run_folder(tmp_path_factory)
    target = shared / "backbone-wheel-site"
    with open(shared / "backbone-wheel.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.is_dir():
            source, wheels = shared / "backbone-wheel-source", shared / "backbone-wheels"
            shutil.rmtree(source, ignore_errors=True)
            source.mkdir()
            for name in SOURCES:
                if (ROOT / name).is_dir():
                    shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy2(ROOT / name, source / name)
            built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                                    "--disable-pip-version-check", "-w", str(wheels), str(source)],
                                   capture_output=True, text=True, timeout=600)
            assert built.returncode == 0, built.stderr[-2000:]
            with zipfile.ZipFile(next(wheels.glob("backbone-*.whl"))) as archive:
                archive.extractall(shared / "backbone-wheel-site.part")
            os.replace(shared / "backbone-wheel-site.part", target)
    return target


@pytest.mark.slow
def test_the_wheel_holds_the_templates(installed):
    assert sorted(p.name for p in (installed / "templates").glob("*.docx")) == [
        "followup.en.docx", "followup.sv.docx", "recap.en.docx", "recap.sv.docx"]


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_non_editable_install_writes_a_recap(installed, tmp_path):
    place = tmp_path / "example"
    shutil.copytree(ROOT / "examples" / "biskopsgarden", place)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_")}
    env["PYTHONPATH"] = str(installed)  # ahead of site-packages, where an editable install may point back here
    where = subprocess.run([sys.executable, "-c", "import reports, sync; print(reports.__file__, sync.__file__)"],
                           cwd=place, env=env, capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in where and where.count(str(installed)) == 2
    done = subprocess.run([sys.executable, "-m", "sync.entry.cli.main", "report", "ci2", "--out", str(place / "r.docx")],
                          cwd=place, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    paragraphs = [p.text for p in docx.Document(str(place / "r.docx")).paragraphs]
    assert paragraphs[0].startswith("Collective Impact 2 – sammanfattning")
