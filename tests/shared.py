"""Where the project's shared real-world data lives (``../shared``), for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``; the test skips, saying why, where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: these tests read the project's shared data in place")
    return path


def seed_post() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(shared_path("seeds", "wp-post-4407.json").read_text())
    return data
