"""Wire-copy detection: articles that share most of their text (one agency report run by two sites) are one
story. Exact word-shingle containment: the corpora this tool serves are small enough that MinHash would only
add error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .ingest import Article
from .text import containment, shingles

# Share of the shorter article's 3-word shingles found in the other, above which both are one story.
ARTICLE_CONTAINMENT = 0.5
# The same for two paragraphs: above it, they are the same passage of the wire text.
PARAGRAPH_CONTAINMENT = 0.6


@dataclass(frozen=True)
class Cluster:
    sources: tuple[str, ...]  # file names, sorted
    similarity: float  # lowest pairwise containment inside the cluster (1.0 for a single article)

    @property
    def is_wire_copy(self) -> bool:
        return len(self.sources) > 1


def kept_text(article: Article) -> str:
    return "\n".join(article.text[s.start : s.end] for s in article.segments)


def cluster_articles(articles: Sequence[Article], threshold: float = ARTICLE_CONTAINMENT) -> list[Cluster]:
    """Every article in exactly one cluster; clusters sorted by their first file name."""
    grams = {a.source: shingles(kept_text(a)) for a in articles}
    names = sorted(grams)
    parent = {name: name for name in names}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    pair_scores: dict[tuple[str, str], float] = {}
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            score = containment(grams[first], grams[second])
            pair_scores[(first, second)] = score
            if score >= threshold:
                parent[root(second)] = root(first)

    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(root(name), []).append(name)
    clusters = []
    for members in groups.values():
        scores = [pair_scores[(a, b)] for i, a in enumerate(members) for b in members[i + 1 :]]
        clusters.append(Cluster(tuple(members), min(scores) if scores else 1.0))
    return sorted(clusters, key=lambda c: c.sources)
