"""Shared test fixtures. Fakes of the outside services live in tests/fakes/ (imported as `tests.fakes.*`)."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
# tests/fakes are runnable on their own as scripts, which import each other as `fakes.*`.
sys.path.insert(0, str(Path(__file__).resolve().parent))


# The kinds of test `make test-fast` leaves out (registered in pyproject.toml). The rule, enforced below:
# a test that starts a process (the `backbone` command, `python -c`, pip, LibreOffice, Chromium) is marked
# `subprocess`, or `libreoffice`/`browser`, which imply it; a test that starts one unmarked fails, naming the
# process. A test that takes more than a few seconds in-process is marked `slow`; one that is not is listed
# at the end of the run (SLOW_NOTICE), so it is seen rather than silently slowing the edit-test loop.
PROCESS_MARKS = ("subprocess", "libreoffice", "browser")
SLOW_NOTICE = 3.0  # seconds, a test's call alone
_started: list[str] = []  # processes started by the running test (any thread)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(name) for name in ("libreoffice", "browser")):
            item.add_marker(pytest.mark.subprocess)


_execute_child = subprocess.Popen._execute_child  # type: ignore[attr-defined]


def _noting_execute_child(self, args, *rest, **kwargs):
    _started.append(str(args[0] if isinstance(args, (list, tuple)) else args))
    return _execute_child(self, args, *rest, **kwargs)


subprocess.Popen._execute_child = _noting_execute_child  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _processes_are_marked(request):
    """Fails a test that starts a process without saying so (PROCESS_MARKS): `make test-fast` would run it."""
    _started.clear()
    yield
    started, marked = list(_started), request.node.get_closest_marker("subprocess")
    _started.clear()
    if started and not marked:
        pytest.fail(f"this test started a process ({started[0]}) but is not marked: add @pytest.mark.subprocess "
                    "(or libreoffice / browser), so make test-fast leaves it out", pytrace=False)


_unmarked_slow: list[tuple[float, str]] = []


def pytest_runtest_logreport(report):
    if (report.when == "call" and report.duration > SLOW_NOTICE
            and not any(name in report.keywords for name in ("slow", *PROCESS_MARKS))):
        _unmarked_slow.append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter):
    if _unmarked_slow:
        terminalreporter.section(f"over {SLOW_NOTICE:g} s but not marked slow (make test-fast runs them)")
        for duration, nodeid in sorted(_unmarked_slow, reverse=True):
            terminalreporter.write_line(f"{duration:5.1f}s {nodeid}")


@pytest.fixture(autouse=True)
def _messages_in_swedish():
    """Each test speaks Swedish unless it says otherwise (`with i18n.speaking("en")`), whatever BACKBONE_LANGUAGE
    the shell running pytest has; threads a test starts speak the process default (sync/core/i18n.py)."""
    from sync.core import i18n
    with i18n.speaking("sv"):
        yield


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example (boards, workbook, settings.env) without a state database or reports."""
    folder = tmp_path / "biskopsgarden"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("var", "reports"))
    return folder


@pytest.fixture
def backbone(example: Path):
    """The app on the example copy; the test runner's BACKBONE_* variables do not leak in."""
    from sync.bootstrap import Backbone
    from sync.settings import load_settings
    return Backbone(dataclasses.replace(load_settings(example / "settings.env", environ={})))


@pytest.fixture(scope="session")
def private_key() -> str:
    """A service account's RSA key (PEM); making one takes a moment, so the session shares it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()
