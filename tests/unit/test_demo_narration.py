"""`make demo` narrates in the chosen language: its lines come from tools/demo_say.py, which reads
BACKBONE_LANGUAGE as backbone does (the environment's, else the demo's settings file's)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def say(key: str, demo: Path, language: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_")}
    if language:
        env["BACKBONE_LANGUAGE"] = language
    done = subprocess.run([sys.executable, "tools/demo_say.py", key, str(demo)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def demo_folder(tmp_path: Path, language: str) -> Path:
    demo = tmp_path / "demo"
    (demo / "reports").mkdir(parents=True)
    (demo / "settings.env").write_text(f"BACKBONE_SHEET=xlsx:plan.xlsx\nBACKBONE_LANGUAGE={language}\n", "utf-8")
    (demo / "reports" / "2021-05-04 Collective Impact 2 – sammanfattning.docx").write_bytes(b"")
    return demo


@pytest.mark.subprocess
def test_the_demo_says_each_step_in_swedish_by_its_settings(tmp_path):
    demo = demo_folder(tmp_path, "sv")
    assert say("sync", demo) == "== backbone sync: exempeltavlan in i exempelarbetsboken ==\n"
    assert say("installing", demo) == "Installerar backbone i .venv (ungefär en minut första gången)\n"
    done = say("done", demo)
    assert done.startswith("Klart. Öppna de här:\n") and "sammanfattningen i Word:  " in done
    assert "2021-05-04 Collective Impact 2 – sammanfattning.docx" in done
    assert say("sync", demo, language="en") == "== backbone sync: the example board into the example workbook ==\n"


@pytest.mark.subprocess
def test_english_settings_give_english_narration(tmp_path):
    demo = demo_folder(tmp_path, "en")
    assert say("report", demo) == "== backbone report ci2 --html: the recap in Word and as a web page ==\n"
    assert say("report", demo, language="sv") == "== backbone report ci2 --html: sammanfattningen i Word och som webbsida ==\n"


def test_the_makefile_narrates_only_through_the_helper():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    demo_targets = re.search(r"^demo: .*?(?=^test:)", makefile, re.MULTILINE | re.DOTALL)
    assert demo_targets is not None
    spoken = [line for line in demo_targets.group(0).splitlines() if re.search(r'\becho "', line)]
    assert spoken == []  # every sentence is $(SAY) KEY, in the chosen language
    from tools.demo_say import WORDS
    used = set(re.findall(r"\$\(SAY\) (\w+)", makefile))
    assert used <= WORDS.keys() and {"sync", "report", "done"} <= used
