"""The persisted BM25 index: saved by indexing beside the vectors, loaded (not rebuilt) by a new process, never
stale after a write from this process or another, and refused when another analyzer built it."""

import json

import pytest

from assistant import lexical
from assistant.api import Assistant
from assistant.errors import IndexMismatchError
from assistant.lexical import LexicalIndex

from fakes import HashingEmbedder

QUESTION = "Wie viele Soldaten wurden getötet?"


def _assistant(settings):
    return Assistant(settings, embedder=HashingEmbedder())


def test_indexing_saves_bm25_and_a_new_process_loads_it_instead_of_reading_every_chunk(settings, monkeypatch):
    first = _assistant(settings)
    first.index()
    folder = settings.index_dir / lexical.FOLDER
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["stamp"] == first.store.write_stamp() and meta["chunks"] == first.store.count()

    fresh = LexicalIndex.build(first.store.all_chunks(), "").search({"de": QUESTION}, 10)
    later = _assistant(settings)  # another process: nothing in memory
    monkeypatch.setattr(type(later.store), "all_chunks", lambda self: pytest.fail("BM25 was rebuilt"))
    assert later.retriever._lexical().search({"de": QUESTION}, 10) == fresh and fresh


def test_bm25_follows_every_write_from_this_process_or_another(settings, corpus):
    reader = _assistant(settings)
    reader.index()
    assert any("874" in p.text for p in reader.retriever.search(QUESTION, 3))

    changed = corpus / "000_0387e041e845605f.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nDie Delegationen trafen sich in Genf.\n", "utf-8")
    writer = _assistant(settings)  # another process indexes the change
    writer.index()
    assert json.loads((settings.index_dir / lexical.FOLDER / "meta.json").read_text())["stamp"] == (
        writer.store.write_stamp()
    )
    ids, _ = reader.retriever._lexical().search({"de": "Genf Delegationen"}, 1)[0], None
    assert "Genf" in reader.store.get([ids[0]])[0][0].text

    # A deletion that does not go through indexing (as the library's remove does): the next query rebuilds.
    gone = [c.id for c in writer.store.all_chunks() if c.source == "000_0387e041e845605f.txt"]
    writer.store.delete(gone)
    assert not set(gone) & {i for i, _ in reader.retriever._lexical().search({"de": "Genf Delegationen Moskau"}, 50)}


def test_an_index_saved_by_another_analyzer_is_refused_until_indexing_rebuilds_it(settings):
    assistant = _assistant(settings)
    assistant.index()
    meta_file = settings.index_dir / lexical.FOLDER / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta_file.write_text(json.dumps({**meta, "analyzer": "format 1; bm25s 0.2.0; PyStemmer 2.0 german"}))
    with pytest.raises(IndexMismatchError, match=r"bm25s 0\.2\.0.*run `assistant index` to rebuild it"):
        _assistant(settings).retriever.search(QUESTION, 3)
    _assistant(settings).index()  # nothing changed in the folder, but the lexical index is rebuilt
    assert json.loads(meta_file.read_text())["analyzer"] == lexical.analyzer()
    assert _assistant(settings).retriever.search(QUESTION, 3)


def test_bm25s_best_chunks_are_among_the_passages_however_low_the_dense_side_ranks_them(settings, monkeypatch):
    reader = _assistant(settings)
    reader.index()
    best = [chunk_id for chunk_id, _ in reader.retriever._lexical().search({"de": QUESTION}, 2)]
    ranked = [c.id for c in reader.store.all_chunks() if c.id not in best] + best
    monkeypatch.setattr(reader.store, "query", lambda vector, n: [(i, 0.5) for i in ranked[:n]])
    passages = reader.retriever.search(QUESTION, 5)
    assert len(passages) == 5
    assert set(best) <= {location.id for p in passages for location in p.locations}
