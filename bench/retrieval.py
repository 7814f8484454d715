"""Retrieval: p50/p95 latency of a question (query embedding + hybrid search + wire-copy collapsing) on the
sample corpus and on synthetic corpora of 10k, 100k and (`run_all.py scale`) 1M chunks, with build time and disk size, in the embedded
index and through a Chroma server (`chroma run` on loopback, started here). The first query of a new Retriever
loads the BM25 index that indexing saved; its baseline, measured in the same run, is building BM25 from the
chunks, which every new process did before it was saved.

Synthetic chunks recombine three real sentences of the articles. Embedding 100k chunks would take hours on two
cores, so a synthetic chunk's vector is the normalised sum of its sentences' real embeddings: realistic
geometry for the index, without the embedding cost that bench/ingest.py measures separately.

    .venv/bin/python bench/retrieval.py [--sizes 10000 100000] [--backends embedded server]
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings, lexical  # noqa: E402
from assistant.backends import load_embedder, open_store  # noqa: E402
from assistant.chunking import split_sentences  # noqa: E402
from assistant.ingest import find_files, read_article  # noqa: E402
from assistant.lexical import LexicalIndex  # noqa: E402
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
    """(first query s, p50 s, p95 s); the first query also loads the saved BM25 index."""
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
    store = open_store(settings, embedder.name, create=True, rebuild=True)
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


def chroma_server(folder: Path):
    """`chroma run` on a free loopback port; (process, settings overrides) once it answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            return process, {"chroma_host": "127.0.0.1", "chroma_port": port}
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("chroma run did not answer within 60 s")


def main(sizes: list[int], backends: tuple[str, ...] = ("embedded", "server")) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    processes = []
    try:
        settings = Settings(index_dir=workdir / "sample", _env_file=None)
        embedder = load_embedder(settings)
        rows = []

        started = time.perf_counter()
        assistant = Assistant(settings, embedder=embedder)
        assistant.index()
        build = time.perf_counter() - started
        first, p50, p95 = measure(assistant.retriever, settings.top_k)
        row = ["sample corpus", "embedded", assistant.store.count(), build, disk_mib(settings.index_dir)]
        rows.append([*row, "", first, "", p50, p95])

        sentences = real_sentences()
        vectors = embedder.embed_documents(sentences)
        stores = [("embedded", {})] if "embedded" in backends else []
        if "server" in backends:
            process, overrides = chroma_server(workdir / "chroma-server")
            processes.append(process)
            stores.append(("Chroma server", overrides))
        for backend, overrides in stores:
            for size in sizes:
                sized = settings.model_copy(update={"index_dir": workdir / f"synthetic-{size}", **overrides})
                started = time.perf_counter()
                store = synthetic_store(sized, embedder, size, sentences, vectors)
                lexical.refresh(store)  # as indexing does at its end
                build = time.perf_counter() - started
                started = time.perf_counter()
                LexicalIndex.build(store.all_chunks(), "")
                rebuilt = time.perf_counter() - started
                folder = workdir / ("chroma-server" if overrides else f"synthetic-{size}")
                fresh = Retriever(open_store(sized, embedder.name), embedder)  # as a new process opens it
                first, p50, p95 = measure(fresh, settings.top_k)
                rows.append(
                    [f"synthetic {size:,}", backend, store.count(), build, disk_mib(folder), rebuilt, first,
                     f"{first / rebuilt:.2f}", p50, p95]
                )  # fmt: skip
                shutil.rmtree(sized.index_dir, ignore_errors=True)
        return table(
            f"Retrieval (top_k={settings.top_k}, {len(QUERIES) * REPEATS} timed queries each, German and English)",
            ["corpus", "vectors", "chunks", "build s", "disk MiB", "baseline: BM25 built s", "first query s",
             "first / baseline", "p50 s", "p95 s"],
            rows,
        ) + (
            "\n'build' for the sample is a full `Assistant.index` (embedding included); for synthetic corpora it "
            "is storing precomputed vectors in Chroma (see the module docstring) and saving BM25. 'first query' "
            "loads the saved BM25 index; the baseline builds it from the chunks, as every new process did before "
            "it was saved. Disk: the index folder, or the Chroma server's folder.\n"
        )  # fmt: skip
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="*", choices=["embedded", "server"], default=["embedded", "server"])
    arguments = parser.parse_args()
    print(main(arguments.sizes, tuple(arguments.backends)))
