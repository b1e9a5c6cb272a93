"""Every workflow in the studio's template gallery is valid ASL and runs in the engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import engine

GALLERY = Path(__file__).resolve().parents[2] / "frontend" / "src" / "templates"
TEMPLATES = sorted(GALLERY.glob("*.asl.json"))
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.asl.json"))


def test_the_gallery_has_at_least_eight_patterns() -> None:
    assert len(TEMPLATES) >= 8


@pytest.mark.parametrize("path", TEMPLATES + EXAMPLES, ids=lambda p: p.name)
def test_template_validates_and_parses(path: Path) -> None:
    definition = json.loads(path.read_text(encoding="utf-8"))
    assert engine.validate(definition) == []
    machine = engine.parse(definition)
    assert machine.root.start_at in machine.root.states
