"""A trainer's folder with one scenario file, and what the loader says about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.scenarios import check_scenarios

# The smallest good lesson of a trainer: Joke with one new letter.
GOOD = """\
title.nl = "Mijn les"
description.nl = "Een les van de bibliotheek."
people = ["joke"]
learner = "joke"

[subscriptions]
joke = ["belastingdienst"]

[letters]
joke = [
    { template = "ib_aanslag", days_ago = 1, read = false },
]
"""


@pytest.fixture
def trainer_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessen"
    folder.mkdir()
    return folder


def problems_in(folder: Path, text: str, name: str = "mijn-les.toml") -> list[str]:
    """What the loader says about the file ``name`` with ``text`` in ``folder``."""
    (folder / name).write_text(text, encoding="utf-8")
    return check_scenarios(folder).problems
