"""The rule `make test-fast` rests on (tests/conftest.py): a test that starts a process says so by its mark, or
fails; a long test without the `slow` mark is listed at the end of the run."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"
TESTS = """
import subprocess, sys, time

import pytest


def start():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_starts_one_unmarked():
    start()


@pytest.mark.subprocess
def test_starts_one_marked():
    start()


@pytest.mark.libreoffice
def test_starts_one_marked_libreoffice():
    start()


def test_long_unmarked():
    time.sleep(0.3)


@pytest.mark.slow
def test_long_marked():
    time.sleep(0.3)
"""


@pytest.fixture
def pytester(pytester, monkeypatch):
    """The copied conftest wraps Popen once more in this process; the wrapper goes when the test ends."""
    monkeypatch.setattr(subprocess.Popen, "_execute_child", subprocess.Popen._execute_child)
    return pytester


@pytest.mark.subprocess
def test_a_process_started_unmarked_fails_the_test_and_a_long_unmarked_test_is_listed(pytester):
    pytester.makeconftest(CONFTEST.read_text("utf-8").replace("SLOW_NOTICE = 3.0", "SLOW_NOTICE = 0.2"))
    pytester.makeini("[pytest]\nmarkers =\n  slow: .\n  subprocess: .\n  libreoffice: .\n  browser: .\n")
    pytester.makepyfile(test_marks=TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_starts_one_unmarked*",
                                 "*this test started a process (*python*) but is not marked: add @pytest.mark.subprocess*"])
    listed = result.stdout.str().split("but not marked slow")[1].split("\n", 1)[1].split("==")[0]  # the section's lines
    assert "test_long_unmarked" in listed and "test_long_marked" not in listed
    # libreoffice (and browser) imply subprocess, so make test-fast's -m leaves them out
    selected = pytester.runpytest("-p", "no:cacheprovider", "-m", "not slow and not subprocess", "--collect-only", "-q")
    selected.stdout.fnmatch_lines(["*test_starts_one_unmarked*", "*test_long_unmarked*"])
    assert "marked_libreoffice" not in selected.stdout.str() and "test_long_marked" not in selected.stdout.str()
