"""Ingestion: chunks/s through the indexer versus the embedder's own encode on the same chunks, and the cost
of re-indexing an unchanged corpus (a fresh `assistant index` process, which must load no model).

    .venv/bin/python bench/ingest.py
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings  # noqa: E402
from assistant.backends import chunker_id, load_embedder  # noqa: E402
from assistant.chunking import split_sentences  # noqa: E402
from assistant.indexing import stored_chunks_for  # noqa: E402
from assistant.ingest import find_files, read_article  # noqa: E402

from _util import ROOT, run_measured, table  # noqa: E402

N_FILES = 12


def synthetic_corpus(folder: Path, n_files: int, seed: int = 0) -> None:
    """Articles recombined from the real sentences, so the embedder sees realistic text of realistic length."""
    sentences = []
    for path in find_files(ROOT / "articles"):
        article = read_article(path, 10**7)
        for segment in article.segments:
            sentences += [
                article.text[s.start : s.end] for s in split_sentences(article.text, segment.start, segment.end)
            ]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for n in range(n_files):
        paragraphs = [" ".join(rng.sample(sentences, 3)) for _ in range(8)]
        (folder / f"synthetic_{n:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def main() -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        corpus = workdir / "corpus"
        synthetic_corpus(corpus, N_FILES)
        settings = Settings(corpus_dir=corpus, index_dir=workdir / "index", _env_file=None)
        embedder = load_embedder(settings)
        embedder.embed_documents(["warm-up"])  # both sides start with the model loaded

        texts = list(
            dict.fromkeys(
                c.text for p in find_files(corpus) for c in stored_chunks_for(read_article(p, 10**7), settings)
            )
        )
        started = time.perf_counter()
        embedder.embed_documents(texts)
        raw_s = time.perf_counter() - started

        started = time.perf_counter()
        report = Assistant(settings, embedder=embedder).index()
        index_s = time.perf_counter() - started
        assert report.embedded == len(texts), (report.embedded, len(texts))

        sample_env = {"ASSISTANT_INDEX_DIR": str(workdir / "sample-index")}
        first_s, first_rss, _ = run_measured([str(ROOT / ".venv/bin/assistant"), "index"], env=sample_env)
        again_s, again_rss, output = run_measured([str(ROOT / ".venv/bin/assistant"), "index"], env=sample_env)
        assert "0 embedded" in output and "3 unchanged" in output, output

        rows = [
            ["embedder.embed_documents (baseline)", len(texts), raw_s, len(texts) / raw_s, 1.0],
            [
                "Assistant.index (read, clean, chunk, embed, store)",
                len(texts),
                index_s,
                len(texts) / index_s,
                raw_s / index_s,
            ],
        ]
        result = table(
            f"Ingestion ({N_FILES} synthetic articles from real sentences, chunker {chunker_id(settings)})",
            ["path", "chunks", "seconds", "chunks/s", "ratio vs encode"],
            rows,
        )
        result += "\n" + table(
            "`assistant index` on the sample corpus, as a fresh process",
            ["run", "seconds", "peak RSS MiB"],
            [
                ["first (3 files, embeds)", first_s, first_rss],
                ["again, unchanged (no model loaded)", again_s, again_rss],
            ],
        )
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    print(main())
