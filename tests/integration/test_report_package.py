"""A plain (non-editable) `pip install .` ships the recap templates and writes recaps from anywhere.

The wheel pip would install is built from this checkout and unpacked into a folder, which is what
installing a pure-Python wheel amounts to; the recap is then written with only that folder (and the
dependencies) on the path, from a folder far from the checkout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parents[2]
# One worker builds the wheel for both tests (make test runs them in parallel, --dist loadgroup).
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    wheels = tmp_path_factory.mktemp("wheels")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(wheels.glob("backbone-*.whl"))
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
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
    done = subprocess.run([sys.executable, "-m", "sync.cli", "report", "ci2", "--out", str(place / "r.docx")],
                          cwd=place, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    paragraphs = [p.text for p in docx.Document(str(place / "r.docx")).paragraphs]
    assert paragraphs[0].startswith("Collective Impact 2 – sammanfattning")
