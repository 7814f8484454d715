from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.settings import ROOT, Settings

CORPUS = ROOT / "articles"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the sample corpus that a test may change."""
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", _env_file=None)


def pytest_terminal_summary(terminalreporter):
    """Screenshots the browser tests saved (record_property("screenshot", path)), so CI logs show where."""
    shots = [value for reports in terminalreporter.stats.values() for report in reports
             for name, value in getattr(report, "user_properties", ()) if name == "screenshot"]
    for path in dict.fromkeys(shots):
        terminalreporter.write_line(f"screenshot: {path}")
