"""Shared test fixtures. Fakes of the outside services live in tests/fakes/ (imported as `tests.fakes.*`)."""
from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
# tests/fakes are runnable on their own as scripts, which import each other as `fakes.*`.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def _messages_in_the_default_language():
    """Messages follow the last Backbone's BACKBONE_LANGUAGE (sync/i18n.py): each test starts from Swedish."""
    from sync import i18n
    i18n.use("sv")
    yield
    i18n.use("sv")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example (boards, workbook, settings.env) without a state database or reports."""
    folder = tmp_path / "biskopsgarden"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("var", "reports"))
    return folder


@pytest.fixture
def backbone(example: Path):
    """The app on the example copy; the test runner's BACKBONE_* variables do not leak in."""
    from sync.app import Backbone
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
