"""A real kill -9 in the middle of indexing loses at most one batch, and the next run continues from there."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

from assistant.api import Assistant
from assistant.settings import ROOT, Settings

from fakes import HashingEmbedder

TESTS = Path(__file__).resolve().parent.parent
BATCH = 8
# The child indexes with the hashing embedder slowed down per batch, and says when each batch starts. It imports
# this checkout's package, wherever the virtualenv's editable install points.
CHILD = f"""
import sys, time
sys.path[:0] = [{str(ROOT)!r}, {str(TESTS)!r}]
from fakes import HashingEmbedder
from assistant.api import Assistant

class Slow(HashingEmbedder):
    def embed_documents(self, texts, titles=None):
        print("batch", len(texts), flush=True)
        time.sleep(0.25)
        return super().embed_documents(texts, titles)

Assistant(embedder=Slow()).index()
print("done", flush=True)
"""
TOWNS = ["Stepanakert", "Schuscha", "Goris", "Gjandscha", "Barda", "Tartar", "Latschin", "Kelbadschar"]


def _corpus(folder: Path, files: int = 40) -> None:
    folder.mkdir()
    for n in range(files):
        town = TOWNS[n % len(TOWNS)]
        paragraphs = [
            f"Meldung {n}: In {town} berichteten Helfer am Tag {n} von {n + 3} neuen Notunterkünften. Die Stadtverwaltung "
            f"verteilte {10 * n + 7} Decken und bat um weitere Spenden für Familie {n} aus dem Umland.",
            f"Nach Angaben der Behörden in {town} wurden {n % 7 + 2} Straßen gesperrt. Ein Sprecher sagte, die "
            f"Reparatur der Brücke {n} werde mindestens {n % 5 + 2} Wochen dauern, wenn das Wetter hält.",
            f"Beobachter der Mission {n} zählten in {town} {n * 2 + 1} beschädigte Gebäude. Sie forderten beide Seiten "
            f"auf, die Waffenruhe Nummer {n} einzuhalten und Zugang für Hilfskonvois zu gewähren.",
        ]
        (folder / f"meldung-{n:02d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def _settings(tmp_path: Path, index: str) -> Settings:
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / index, index_batch=BATCH, _env_file=None)


def _snapshot(settings: Settings) -> dict:
    store = Assistant(settings, embedder=HashingEmbedder()).store
    chunks = store.all_chunks()
    _, vectors = store.get([c.id for c in chunks], with_embeddings=True)
    assert vectors is not None
    return {
        c.id: (c.text, c.file_hash, c.n_chunks, c.start, c.end, v.round(6).tobytes()) for c, v in zip(chunks, vectors)
    }


def test_kill_9_mid_run_loses_at_most_one_batch_and_the_rerun_embeds_only_the_rest(tmp_path):
    _corpus(tmp_path / "corpus")
    killed = _settings(tmp_path, "index")
    env = {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(killed.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(killed.index_dir),
        "ASSISTANT_INDEX_BATCH": str(BATCH),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    started = 0
    for line in child.stdout:
        started += line.startswith("batch")
        if started == 5:  # four batches are embedded and committed; the fifth is being embedded
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""

    committed = _snapshot(killed)
    assert 4 * BATCH <= len(committed) < 5 * BATCH  # the four batches are in; only the fifth is lost

    embedder = HashingEmbedder()
    report = Assistant(killed, embedder=embedder).index()
    committed_texts = {text for text, *_ in committed.values()}
    assert not committed_texts & set(embedder.documents_embedded)  # committed work is not done again
    assert report.embedded == len(embedder.documents_embedded) == len(set(embedder.documents_embedded))

    clean = _settings(tmp_path, "clean")
    clean_report = Assistant(clean, embedder=HashingEmbedder()).index()
    assert report.embedded + len(committed_texts) == clean_report.embedded
    final, expected = _snapshot(killed), _snapshot(clean)
    assert final == expected and len(final) > 5 * BATCH
    assert all(np.isfinite(np.frombuffer(v[-1], dtype=np.float32)).all() for v in final.values())

    again = Assistant(killed, embedder=HashingEmbedder()).index()
    assert again.embedded == again.chunks_added == 0 and len(again.unchanged) == 40
