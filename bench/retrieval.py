"""Retrieval: p50/p95 latency of a question (query embedding + hybrid search + wire-copy collapsing) on the
sample corpus and on synthetic corpora of 10k and 100k chunks, with build time and disk size.

Synthetic chunks recombine three real sentences of the articles. Embedding 100k chunks would take hours on two
cores, so a synthetic chunk's vector is the normalised sum of its sentences' real embeddings: realistic
geometry for the index, without the embedding cost that bench/ingest.py measures separately.

    .venv/bin/python bench/retrieval.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings  # noqa: E402
from assistant.backends import load_embedder, open_store  # noqa: E402
from assistant.chunking import split_sentences  # noqa: E402
from assistant.ingest import find_files, read_article  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402
from assistant.store import StoredChunk  # noqa: E402

from _util import ROOT, percentile, table  # noqa: E402

QUERIES = [
    "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
    "Wann brachen die aktuellen Kämpfe aus?",
    "What did the Russian foreign ministry publish?",
    "Wen sieht Armenien als seine Schutzmacht an?",
    "Who mediates in the conflict as the Minsk group?",
    "Was sagte Stoltenberg über die Türkei?",
    "How many civilians died according to Azerbaijan?",
    "Welche Zahl nannte Putin?",
    "Wann gab es zuletzt heftige Kämpfe?",
    "Who invited the foreign ministers to Moscow?",
]
REPEATS = 2


def real_sentences() -> list[str]:
    sentences = []
    for path in find_files(ROOT / "articles"):
        article = read_article(path, 10**7)
        for segment in article.segments:
            sentences += [
                article.text[s.start : s.end] for s in split_sentences(article.text, segment.start, segment.end)
            ]
    return list(dict.fromkeys(sentences))


def disk_mib(folder: Path) -> float:
    return int(subprocess.run(["du", "-sk", str(folder)], capture_output=True, text=True).stdout.split()[0]) / 1024


def measure(retriever: Retriever, k: int) -> tuple[float, float, float]:
    """(first query s, p50 s, p95 s); the first query also builds the BM25 index."""
    started = time.perf_counter()
    retriever.search(QUERIES[0], k)
    first = time.perf_counter() - started
    latencies = []
    for _ in range(REPEATS):
        for query in QUERIES:
            started = time.perf_counter()
            retriever.search(query, k)
            latencies.append(time.perf_counter() - started)
    return first, percentile(latencies, 0.5), percentile(latencies, 0.95)


def synthetic_store(settings: Settings, embedder, size: int, sentences: list[str], vectors: np.ndarray):
    rng = random.Random(size)
    store = open_store(settings, embedder.name, create=True)
    batch: list[StoredChunk] = []
    batch_vectors = []
    per_file = 20
    for n in range(size):
        picks = rng.sample(range(len(sentences)), 3)
        text = " ".join(sentences[i] for i in picks)
        vector = vectors[picks].sum(axis=0)
        source = f"synthetic_{n // per_file:06d}.txt"
        start = (n % per_file) * 1000
        batch.append(
            StoredChunk(
                source=source,
                start=start,
                end=start + len(text),
                text=text,
                file_hash="synthetic",
                n_chunks=per_file,
                title=source,
                path="",
            )
        )
        batch_vectors.append(vector / np.linalg.norm(vector))
        if len(batch) == 5000:
            store.add(batch, np.stack(batch_vectors))
            batch, batch_vectors = [], []
    if batch:
        store.add(batch, np.stack(batch_vectors))
    return store


def main(sizes: list[int]) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    try:
        settings = Settings(index_dir=workdir / "sample", _env_file=None)
        embedder = load_embedder(settings)
        rows = []

        started = time.perf_counter()
        assistant = Assistant(settings, embedder=embedder)
        assistant.index()
        build = time.perf_counter() - started
        first, p50, p95 = measure(assistant.retriever, settings.top_k)
        rows.append(["sample corpus", assistant.store.count(), build, disk_mib(settings.index_dir), first, p50, p95])

        sentences = real_sentences()
        vectors = embedder.embed_documents(sentences)
        for size in sizes:
            sized = settings.model_copy(update={"index_dir": workdir / f"synthetic-{size}"})
            started = time.perf_counter()
            store = synthetic_store(sized, embedder, size, sentences, vectors)
            build = time.perf_counter() - started
            first, p50, p95 = measure(Retriever(store, embedder), settings.top_k)
            rows.append([f"synthetic {size:,}", store.count(), build, disk_mib(sized.index_dir), first, p50, p95])
            shutil.rmtree(sized.index_dir, ignore_errors=True)
        return table(
            f"Retrieval (top_k={settings.top_k}, {len(QUERIES) * REPEATS} timed queries each, German and English)",
            ["corpus", "chunks", "build s", "disk MiB", "first query s (builds BM25)", "p50 s", "p95 s"],
            rows,
        ) + (
            "\n'build' for the sample is a full `Assistant.index` (embedding included); for synthetic corpora it "
            "is storing precomputed vectors in Chroma (see the module docstring).\n"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    print(main(parser.parse_args().sizes))
