"""The end-to-end tests run `backbone` in the example copy, as a coordinator would from its folder."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def example(example: Path, monkeypatch) -> Path:
    """The example copy as the working directory (./settings.env is read by default), in the default language."""
    monkeypatch.chdir(example)
    monkeypatch.delenv("BACKBONE_LANGUAGE", raising=False)
    return example
