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


def real_assistant(folder: Path, **overrides):
    """(Assistant, IndexReport): the real default models over a private copy of the sample corpus in folder,
    indexed, for end-to-end tests; seeded; fails with the fix when the models are missing."""
    from assistant.api import Assistant

    shutil.copytree(CORPUS, folder / "articles")
    settings = Settings(corpus_dir=folder / "articles", index_dir=folder / "index", seed=0, _env_file=None, **overrides)
    if not settings.llm_path.is_file() or not settings.embedder_path.is_dir():
        pytest.fail("the default models are missing: run `bash scripts/setup.sh`")
    assistant = Assistant(settings)
    return assistant, assistant.index()


def pytest_terminal_summary(terminalreporter):
    """Screenshots the browser tests saved (record_property("screenshot", path)), so CI logs show where."""
    shots = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "screenshot"
    ]
    for path in dict.fromkeys(shots):
        terminalreporter.write_line(f"screenshot: {path}")
