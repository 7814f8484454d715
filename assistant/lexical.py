"""The lexical half of hybrid retrieval: BM25 (bm25s) over the chunks' stems, each chunk stemmed in its own
language and a question searched in every language it is given in, saved beside the vectors in the
index folder so a new process does not rebuild it (9.2 s at 100k chunks) before its first query.

It can never be stale: every write to the chunk store gives the collection a new stamp (ChunkStore.write_stamp),
and the saved index records the stamp it was built for. A stale one is rebuilt from the store and saved again;
indexing saves a fresh one at the end of each sync. One built by another analyzer (bm25s, stemmer or stopword
list) is refused with the fix, since its scores would silently differ."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from .errors import IndexMismatchError
from .spans import StoredChunk
from .store import ChunkStore
from .text import STOPWORDS, stems

FOLDER = "lexical"
FORMAT = 2  # 2: each chunk stemmed in its own language
# A chunk whose language is unknown (an older index) is stemmed as German, the sample corpus's language.
DEFAULT_LANGUAGE = "de"


@lru_cache(maxsize=1)
def analyzer() -> str:
    """What the scores depend on besides the chunks: BM25's implementation and how text becomes terms."""
    import bm25s

    stopwords = hashlib.sha256("\n".join(sorted(STOPWORDS)).encode()).hexdigest()[:12]
    return f"format {FORMAT}; bm25s {bm25s.__version__}; PyStemmer {version('PyStemmer')}; stopwords {stopwords}"


class LexicalIndex:
    def __init__(self, ids: list[str], model, stamp: str, languages: dict[str, float]):
        self.ids = ids
        self.stamp = stamp  # the store's write_stamp it was built for
        self.languages = languages  # share of the chunks in each language, largest first
        self._model = model

    @classmethod
    def build(cls, chunks: Sequence[StoredChunk], stamp: str) -> LexicalIndex:
        import bm25s

        model = bm25s.BM25()
        if chunks:
            model.index([stems(c.text, c.language or DEFAULT_LANGUAGE) or ["∅"] for c in chunks], show_progress=False)
        counts = Counter(c.language or DEFAULT_LANGUAGE for c in chunks)
        languages = {language: n / len(chunks) for language, n in counts.most_common()}
        return cls([c.id for c in chunks], model, stamp, languages)

    def save(self, folder: Path) -> None:
        """Written to a temporary folder, then swapped in: a reader never sees half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        if self.ids:
            self._model.save(str(staging / "bm25"), show_progress=False)
        (staging / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        meta = {"analyzer": analyzer(), "stamp": self.stamp, "chunks": len(self.ids), "languages": self.languages}
        (staging / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The saved index, None where there is none; refused if another analyzer built it."""
        import bm25s

        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("analyzer") != analyzer():
            raise IndexMismatchError(
                f"the lexical index in {folder} was built by {meta.get('analyzer')!r}, this installation uses "
                f"{analyzer()!r}; run `assistant index` to rebuild it"
            )
        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False) if ids else bm25s.BM25()
        return cls(ids, model, meta["stamp"], meta.get("languages", {}))

    def search(self, queries: dict[str, str], n: int) -> list[tuple[str, float]]:
        """queries: language -> the question in that language."""
        query = sorted({stem for language, text in queries.items() for stem in stems(text, language)})
        if not query or not self.ids:
            return []
        scores = self._model.get_scores(query)
        top = np.argsort(-scores)[: min(n, len(self.ids))]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]


def current(store: ChunkStore) -> LexicalIndex:
    """The index for the store as it is now: the saved one if it was built for the store's current stamp, else
    built from the store's chunks and saved."""
    folder = store.folder / FOLDER
    stamp = store.write_stamp()
    saved = LexicalIndex.load(folder)
    if saved is not None and saved.stamp == stamp:
        return saved
    index = LexicalIndex.build(store.all_chunks(), stamp)
    index.save(folder)
    return index


def refresh(store: ChunkStore) -> None:
    """After indexing: save a current index, replacing one that is stale or from another analyzer."""
    folder = store.folder / FOLDER
    stamp = store.write_stamp()
    try:
        saved = LexicalIndex.load(folder)
    except IndexMismatchError:
        saved = None
    if saved is None or saved.stamp != stamp:
        LexicalIndex.build(store.all_chunks(), stamp).save(folder)
