"""Incremental indexing against a real Chroma store, with the hashing embedder standing in for the model."""

import pytest

from assistant.api import Assistant
from assistant.errors import IndexMismatchError, IndexMissingError
from assistant.settings import Settings

from fakes import HashingEmbedder


def _assistant(settings, embedder=None):
    return Assistant(settings, embedder=embedder or HashingEmbedder())


def test_first_index_then_nothing_to_do(settings):
    embedder = HashingEmbedder()
    report = _assistant(settings, embedder).index()
    assert sorted(report.indexed) == [
        "000_0387e041e845605f.txt",
        "003_93abe25851774db3.txt",
        "004_dc163207c980f9d6.txt",
    ]
    assert report.chunks_added > 10
    # Wire copies share some chunk texts exactly or not at all; either way each distinct text is embedded once.
    assert report.embedded == len(set(embedder.documents_embedded))

    again_embedder = HashingEmbedder()
    again = _assistant(settings, again_embedder).index()
    assert again.unchanged and not again.indexed
    assert again.chunks_added == again.chunks_deleted == again.embedded == 0
    assert again_embedder.documents_embedded == []


def test_changed_and_deleted_files_are_followed(settings):
    _assistant(settings).index()
    store_before = {c.id: c for c in _assistant(settings).store.all_chunks()}

    changed = settings.corpus_dir / "000_0387e041e845605f.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nDie Waffenruhe hielt nur wenige Stunden.\n", encoding="utf-8"
    )
    (settings.corpus_dir / "004_dc163207c980f9d6.txt").unlink()

    embedder = HashingEmbedder()
    report = _assistant(settings, embedder).index()
    assert report.indexed == ["000_0387e041e845605f.txt"]
    assert report.removed_files == ["004_dc163207c980f9d6.txt"]
    # Only the changed paragraph is new text: nothing else is embedded again.
    assert all("Waffenruhe hielt" in text for text in embedder.documents_embedded)

    after = _assistant(settings).store.all_chunks()
    assert not any(c.source == "004_dc163207c980f9d6.txt" for c in after)
    assert any("Waffenruhe hielt nur wenige Stunden" in c.text for c in after)
    new_hash = next(c.file_hash for c in after if c.source == "000_0387e041e845605f.txt")
    assert all(c.file_hash == new_hash for c in after if c.source == "000_0387e041e845605f.txt")
    unchanged_003 = {c.id for c in after if c.source == "003_93abe25851774db3.txt"}
    assert unchanged_003 == {i for i, c in store_before.items() if c.source == "003_93abe25851774db3.txt"}


def test_interrupted_run_is_completed_by_the_next(settings, monkeypatch):
    from assistant import indexing

    calls = {"n": 0}
    original = indexing._commit

    def fail_on_second_file(store, change, vectors, report):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(store, change, vectors, report)

    monkeypatch.setattr(indexing, "_commit", fail_on_second_file)
    with pytest.raises(KeyboardInterrupt):
        _assistant(settings).index()
    monkeypatch.setattr(indexing, "_commit", original)

    assert _assistant(settings).store.count() > 0  # what was committed is usable
    report = _assistant(settings).index()
    assert report.unchanged == ["000_0387e041e845605f.txt"]
    assert sorted(report.indexed) == ["003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"]


def test_index_refuses_another_embedder_or_chunker(settings):
    _assistant(settings).index()
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        _assistant(settings, HashingEmbedder(dims=128)).store
    other_chunker = settings.model_copy(update={"chunk_max_tokens": 200})
    with pytest.raises(IndexMismatchError, match="chunker"):
        _assistant(other_chunker).store
    rebuilt = _assistant(other_chunker).index(rebuild=True)
    assert len(rebuilt.indexed) == 3


def test_missing_index_is_reported_and_nothing_is_created(tmp_path):
    settings = Settings(index_dir=tmp_path / "nowhere", _env_file=None)
    with pytest.raises(IndexMissingError, match="assistant index"):
        _assistant(settings).store
    assert not (tmp_path / "nowhere").exists()
