"""Shared test helpers. Fakes of the outside services live in tests/fakes/."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# tests/fakes are importable as `fakes.*` and runnable on their own.
sys.path.insert(0, str(Path(__file__).resolve().parent))
