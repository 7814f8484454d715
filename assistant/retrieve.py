"""Hybrid retrieval: dense (the embedder) and BM25 over the same chunks, fused by reciprocal rank,
with near-identical chunks (wire copies) collapsed into one passage that names every file it is in.

BM25 stems each chunk in its own language, and a question can be searched in several languages at once (its
translations into the corpus languages, where the settings ask for them). The dense side leads the fusion: the
multilingual embedder finds an English question's facts in German wording, where BM25 cannot."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import lexical
from .clusters import PARAGRAPH_CONTAINMENT
from .embed import Embedder
from .lexical import DEFAULT_LANGUAGE, LexicalIndex
from .spans import Passage
from .store import ChunkStore
from .text import containment, shingles

RRF_K = 60
# Weight of the BM25 ranking beside the dense one (1.0) in the fusion. On the 174 answerable eval questions
# (51 articles in 4 languages) every needed fact stood in the 10 fused passages for 71% of them at equal weights,
# and for 93-94% with BM25 at 0.1 or not at all: the multilingual embedder finds the facts, BM25's own top hits
# push them down. A little of it stays for the rare name or number the embedder blurs.
LEXICAL_WEIGHT = 0.1
# BM25's best chunks keep a place among the passages whatever the fusion says: at weight 0.1 a chunk only BM25
# finds ("in den 90er Jahren ein Krieg mit 30.000 Toten" for "How many died in the war of the 1990s?", dense rank
# 105) can never reach them, and the evidence is chosen from the passages alone.
LEXICAL_RESCUE = 2
# Passages scoring well below the best on both the dense and the lexical side are beside the point: a topic
# briefing reads only the articles of the passages that stay.
FOCUS_RATIO = 0.75
MIN_PASSAGES = 2


class Retriever:
    def __init__(self, store: ChunkStore, embedder: Embedder):
        self.store = store
        self.embedder = embedder
        self._bm25: LexicalIndex | None = None

    def _lexical(self) -> LexicalIndex:
        # The store's stamp changes with every write, from any process; the saved index is used while it matches.
        if self._bm25 is None or self._bm25.stamp != self.store.write_stamp():
            self._bm25 = lexical.current(self.store)
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
        lexical_hits = self._lexical().search({**(translations or {}), language: question}, pool)

        fused: dict[str, float] = {}
        for ranking, weight in ((dense, 1.0), (lexical_hits, LEXICAL_WEIGHT)):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank + 1)
        order = sorted(fused, key=lambda i: -fused[i])
        rescue = min(LEXICAL_RESCUE, k)
        rescued = [chunk_id for chunk_id, _ in lexical_hits[:rescue] if chunk_id not in order[: k - rescue]]
        others = [i for i in order if i not in rescued]
        order = others[: k - len(rescued)] + rescued + others[k - len(rescued) :]
        chunks, vectors = self.store.get(order, with_embeddings=True)
        dense_scores = dict(dense)
        lexical_scores = dict(lexical_hits)
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


def focus(passages: Sequence[Passage]) -> list[Passage]:
    """The passages that score near the best on either side, and always the first MIN_PASSAGES."""
    best_dense = max((p.dense for p in passages), default=0.0)
    best_lexical = max((p.lexical for p in passages), default=0.0)
    return [
        p
        for rank, p in enumerate(passages)
        if rank < MIN_PASSAGES
        or p.dense >= FOCUS_RATIO * best_dense
        or (best_lexical > 0 and p.lexical >= FOCUS_RATIO * best_lexical)
    ]
