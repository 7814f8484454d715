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


class _FailingEmbedder(HashingEmbedder):
    """Stops the run (as Ctrl+C would) when asked for its second batch."""

    def embed_documents(self, texts, titles=None):
        if self.documents_embedded:
            raise KeyboardInterrupt
        return super().embed_documents(texts, titles)


def test_interrupted_run_keeps_its_committed_batches_and_the_next_run_continues(settings):
    settings = settings.model_copy(update={"index_batch": 8})
    with pytest.raises(KeyboardInterrupt):
        _assistant(settings, _FailingEmbedder()).index()
    committed = {c.text for c in _assistant(settings).store.all_chunks()}
    assert 0 < len(committed) <= 8  # the first batch is in and usable

    embedder = HashingEmbedder()
    report = _assistant(settings, embedder).index()
    assert len(report.indexed) == 3 and report.embedded == len(embedder.documents_embedded)
    assert not committed & set(embedder.documents_embedded)  # nothing committed is embedded again
    clean = settings.model_copy(update={"index_dir": settings.index_dir.parent / "clean"})
    _assistant(clean).index()
    assert _ids(settings) == _ids(clean)


def _ids(settings):
    return {(c.id, c.text_hash, c.file_hash, c.n_chunks) for c in _assistant(settings).store.all_chunks()}


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
