"""Hybrid retrieval: dense (the embedder) and BM25 over the same chunks, fused by reciprocal rank,
with near-identical chunks (wire copies) collapsed into one passage that names every file it is in.

BM25 stems each chunk in its own language, and a question can be searched in several languages at once (its
translations into the corpus languages), so an English question also finds German wording lexically."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .clusters import PARAGRAPH_CONTAINMENT
from .embed import Embedder
from .spans import Passage, StoredChunk
from .store import ChunkStore
from .text import containment, shingles, stems

RRF_K = 60


# A question in language L is stemmed as L; a chunk whose language is unknown (an older index) as German.
DEFAULT_LANGUAGE = "de"


class _Bm25:
    def __init__(self, chunks: list[StoredChunk]):
        import bm25s

        self.ids = [c.id for c in chunks]
        counts = Counter(c.language or DEFAULT_LANGUAGE for c in chunks)
        self.languages = {language: n / len(chunks) for language, n in counts.most_common()}
        self._model = bm25s.BM25()
        corpus = [stems(c.text, c.language or DEFAULT_LANGUAGE) or ["∅"] for c in chunks]
        self._model.index(corpus, show_progress=False)

    def search(self, queries: dict[str, str], n: int) -> list[tuple[str, float]]:
        """queries: language -> the question in that language."""
        query = sorted({stem for language, text in queries.items() for stem in stems(text, language)})
        if not query or not self.ids:
            return []
        scores = self._model.get_scores(query)
        top = np.argsort(-scores)[: min(n, len(self.ids))]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]


class Retriever:
    def __init__(self, store: ChunkStore, embedder: Embedder):
        self.store = store
        self.embedder = embedder
        self._bm25: _Bm25 | None = None
        self._bm25_for: list[StoredChunk] | None = None

    def _lexical(self) -> _Bm25:
        chunks = self.store.all_chunks()
        # all_chunks() returns a new list after each write, so its identity tells whether BM25 is current;
        # holding the list itself (not its id(), which a later list may reuse) keeps that test sound.
        if self._bm25 is None or self._bm25_for is not chunks:
            self._bm25, self._bm25_for = _Bm25(chunks), chunks
        return self._bm25

    def languages(self) -> dict[str, float]:
        """Share of the indexed chunks in each language, largest first."""
        return self._lexical().languages

    def search(
        self,
        question: str,
        k: int,
        language: str = DEFAULT_LANGUAGE,
        translations: dict[str, str] | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """The k best passages; translations (language -> the question in it) widen the lexical search."""
        pool = max(4 * k, 20)
        if query_vector is None:
            query_vector = self.embedder.embed_query(question)
        dense = self.store.query(query_vector, pool)
        lexical = self._lexical().search({**(translations or {}), language: question}, pool)

        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = sorted(fused, key=lambda i: -fused[i])
        chunks, vectors = self.store.get(order, with_embeddings=True)
        dense_scores = dict(dense)
        lexical_scores = dict(lexical)
        if vectors is not None:
            # Chunks found only by BM25 still get a real similarity, so abstention can judge them.
            for chunk, vector in zip(chunks, vectors):
                dense_scores.setdefault(chunk.id, float(vector @ query_vector))

        passages: list[Passage] = []
        passage_shingles: list[set] = []
        for chunk, vector in zip(chunks, vectors if vectors is not None else [None] * len(chunks)):
            grams = shingles(chunk.text)
            twin = next(
                (p for p, g in zip(passages, passage_shingles) if containment(grams, g) >= PARAGRAPH_CONTAINMENT), None
            )
            if twin is not None:
                if chunk.source not in twin.sources:
                    twin.locations.append(chunk)
                twin.dense = max(twin.dense, dense_scores.get(chunk.id, 0.0))
                twin.lexical = max(twin.lexical, lexical_scores.get(chunk.id, 0.0))
                continue
            if len(passages) == k:
                continue  # keep scanning: a later chunk may still be a copy of a kept passage
            passages.append(
                Passage(
                    text=chunk.text,
                    locations=[chunk],
                    score=fused[chunk.id],
                    dense=dense_scores.get(chunk.id, 0.0),
                    lexical=lexical_scores.get(chunk.id, 0.0),
                    vector=vector,
                )
            )
            passage_shingles.append(grams)
        return passages
