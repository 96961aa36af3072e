"""Shared test helpers. Fakes of the outside services live in tests/fakes/."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# tests/fakes are importable as `fakes.*` and runnable on their own.
sys.path.insert(0, str(Path(__file__).resolve().parent))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _messages_in_the_default_language():
    """Messages follow the last Backbone's BACKBONE_LANGUAGE (sync/i18n.py): each test starts from Swedish."""
    from sync import i18n
    i18n.use("sv")
    yield
    i18n.use("sv")
