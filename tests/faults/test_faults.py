"""Faults a user meets: a damaged or busy index, a truncated model, a full disk, a flood of uploads, hostile
file names, binary files and mixed encodings. Each ends in one line that says what to do, and loses nothing."""

import errno
import os
import re
from pathlib import Path

import pytest

from assistant import backends
from assistant.api import Assistant
from assistant.cli import main
from assistant.errors import DiskFullError, IndexLockedError, IndexUnreadableError, ModelMissingError
from assistant.ingest import Article, read_article
from assistant.library import MAX_NAME, add_uploads, read_library
from assistant.settings import ROOT
from assistant.store import writing
from assistant.ui.desk import Desk

from fakes import HashingEmbedder, ScriptedLLM


@pytest.fixture
def settings(settings):
    """The prompt templates of this checkout, wherever the virtualenv's editable install points."""
    return settings.model_copy(update={"prompts_dir": ROOT / "prompts"})


@pytest.fixture
def cli_env(settings, monkeypatch):
    """The command line on the test's corpus and index, with the hashing embedder."""
    for key, value in {
        "ASSISTANT_CORPUS_DIR": settings.corpus_dir,
        "ASSISTANT_INDEX_DIR": settings.index_dir,
        "ASSISTANT_PROMPTS_DIR": settings.prompts_dir,
    }.items():
        monkeypatch.setenv(key, str(value))
    monkeypatch.chdir(settings.corpus_dir.parent)
    monkeypatch.setattr(backends, "load_embedder", lambda settings: HashingEmbedder())
    return settings


def _index(settings, embedder=None):
    return Assistant(settings, embedder=embedder or HashingEmbedder()).index()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _one_error_line(capsys) -> str:
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def _consistent(settings) -> dict[str, int]:
    """Chunks per file; every chunk has a vector and lies at its place in its file."""
    store = Assistant(settings, embedder=HashingEmbedder()).store
    chunks = store.all_chunks()
    _, vectors = store.get([c.id for c in chunks], with_embeddings=True)
    assert vectors is not None and len(vectors) == len(chunks)
    counts: dict[str, int] = {}
    for chunk in chunks:
        text = read_article(settings.corpus_dir / chunk.source, settings.max_file_bytes)
        assert isinstance(text, Article) and text.text[chunk.start : chunk.end] == chunk.text
        counts[chunk.source] = counts.get(chunk.source, 0) + 1
    return counts


# The index


def test_a_corrupted_index_is_a_one_line_error_and_nothing_is_deleted(cli_env, capsys):
    settings = cli_env
    _index(settings)
    (settings.index_dir / "chroma.sqlite3").write_bytes(b"not a database " * 500)
    before = _files(settings.index_dir)
    with pytest.raises(IndexUnreadableError, match="--rebuild"):
        Assistant(settings, embedder=HashingEmbedder()).store
    for argv in (["index"], ["ask", "Wie viele Soldaten wurden getötet?"], ["brief"]):
        assert main(argv) == 2
        line = _one_error_line(capsys)
        assert "cannot be read" in line and "assistant index --rebuild" in line
    assert _files(settings.index_dir) == before

    # Asked to rebuild, it keeps the damaged folder beside the new index.
    assert main(["index", "--rebuild"]) == 0
    err = capsys.readouterr().err
    kept = Path(re.search(r"moved to (\S+);", err).group(1))
    assert kept.parent == settings.index_dir.parent and _files(kept) == before
    assert sum(_consistent(settings).values()) > 10


def test_a_truncated_index_database_is_reported_the_same_way(settings):
    _index(settings)
    database = settings.index_dir / "chroma.sqlite3"
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 3])
    with pytest.raises(IndexUnreadableError, match="--rebuild"):
        _index(settings)


def test_a_locked_index_is_a_one_line_error_and_the_writer_finishes(cli_env, capsys):
    settings = cli_env
    _index(settings)
    (settings.corpus_dir / "neu.txt").write_text("Die Außenminister trafen sich erneut in Moskau.\n", encoding="utf-8")
    with writing(settings.index_dir):  # another writer, as `assistant index` or an upload in the app would be
        with pytest.raises(IndexLockedError, match=f"pid {os.getpid()}"):
            _index(settings)
        assert main(["index"]) == 2
        assert "being written by another process" in _one_error_line(capsys)
    assert "neu.txt" not in _consistent(settings)  # nothing half-done
    assert _index(settings).indexed == ["neu.txt"]


def test_disk_full_while_indexing_leaves_a_usable_index_and_says_what_to_free(settings, monkeypatch):
    from chromadb.api.models.Collection import Collection

    settings = settings.model_copy(update={"index_batch": 8})
    original, calls = Collection.add, {"n": 0}

    def add(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "add", add)
    with pytest.raises(DiskFullError, match=r"is full \(\d+ MiB free\); free some space there") as raised:
        _index(settings)
    assert "\n" not in str(raised.value) and "continues where it stopped" in str(raised.value)
    assert sum(_consistent(settings).values()) == 16  # the two batches before the failure, usable
    monkeypatch.setattr(Collection, "add", original)

    report = _index(settings)
    assert report.embedded > 0 and report.indexed and len(report.indexed) + len(report.unchanged) == 3
    clean = settings.model_copy(update={"index_dir": settings.index_dir.parent / "clean"})
    _index(clean)
    assert _consistent(settings) == _consistent(clean)


# The model


def test_the_shipped_model_checksum_is_the_setup_scripts():
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert f"LLM_SHA={backends.DEFAULT_LLM['sha256']}" in setup
    assert f'LLM_FILE="$MODELS/{backends.DEFAULT_LLM["name"]}"' in setup
    shipped = ROOT / "models" / backends.DEFAULT_LLM["name"]
    if shipped.is_file():
        assert shipped.stat().st_size == backends.DEFAULT_LLM["size"]


def test_a_truncated_or_foreign_model_file_is_a_one_line_error_before_anything_loads(cli_env, tmp_path, capsys):
    _index(cli_env)
    truncated = tmp_path / "models" / backends.DEFAULT_LLM["name"]
    truncated.parent.mkdir()
    truncated.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 4096)  # the header survives, the rest is gone
    foreign = tmp_path / "models" / "notes.gguf"
    foreign.write_text("not a model")
    for path, message in ((truncated, "truncated or damaged"), (foreign, "not a GGUF model file")):
        os.environ["ASSISTANT_LLM_PATH"] = str(path)
        try:
            assert main(["ask", "Wie viele Soldaten wurden getötet?"]) == 2
        finally:
            del os.environ["ASSISTANT_LLM_PATH"]
        line = _one_error_line(capsys)
        assert message in line and "bash scripts/setup.sh" in line


def test_a_damaged_model_that_passes_the_header_check_fails_to_load_with_the_hint(settings, tmp_path):
    other = tmp_path / "other.gguf"
    other.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 4096)
    with pytest.raises(ModelMissingError, match="cannot be loaded.*bash scripts/setup.sh"):
        backends.load_llm(settings.model_copy(update={"llm_path": other}))


# Uploads


def _article(n: int) -> str:
    return (
        f"Meldung {n} aus Goris\n\nHelfer in Goris verteilten am Tag {n} insgesamt {7 * n + 3} Decken an "
        f"Familien aus {n % 9 + 2} Dörfern. Die Stadtverwaltung bat um Spenden für Notunterkunft {n}.\n"
    )


def test_two_hundred_files_uploaded_at_once(settings, tmp_path):
    _index(settings)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    paths = []
    for n in range(200):
        path = uploads / f"meldung-{n:03d}.txt"
        path.write_text(_article(n), encoding="utf-8")
        paths.append(path)
    (uploads / "copy.txt").write_text(_article(5), encoding="utf-8")
    (uploads / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)
    (uploads / "empty.md").write_text("\n")
    paths += [uploads / "copy.txt", uploads / "image.txt", uploads / "empty.md"]

    progress = []
    desk = Desk(Assistant(settings, embedder=HashingEmbedder(), llm=ScriptedLLM()))
    verdicts, report = desk.add(paths, lambda done, total, name: progress.append(done))
    refused = {v.name: v.error for v in verdicts if v.error}
    assert set(refused) == {"copy.txt", "image.txt", "empty.md"}
    assert "meldung-005.txt" in refused["copy.txt"] and "binary" in refused["image.txt"]
    assert report is not None and len(report.indexed) == 200 and not report.skipped
    assert progress[-1] == 203  # every file of the folder, in order

    library = desk.library()
    assert len(library.entries) == 203 and all(e.chunks and not e.problem for e in library.entries)
    counts = _consistent(settings)
    assert len(counts) == 203 and not {"copy.txt", "image.txt", "empty.md"} & set(os.listdir(settings.corpus_dir))


def test_hostile_file_names_never_write_outside_the_corpus(settings, tmp_path):
    outside = tmp_path / "uploads"
    (outside / "sub").mkdir(parents=True)
    names = {
        "newline": "bericht\nzwei.txt",
        "control": "bericht\x1b[31m\x07.txt",
        "long": "b" * 240 + ".txt",
        "unicode": "Bericht über Ägypten – 東京 ✓.txt",
        "backslashes": "..\\..\\evil.txt",
        "dotdot": "..txt",
    }
    paths = {}
    for n, (key, name) in enumerate(names.items()):
        path = outside / "sub" / name
        path.write_text(_article(n), encoding="utf-8")
        paths[key] = path
    # A path through "../": its file name is what counts.
    paths["parent"] = outside / "sub" / ".." / "sub" / ".." / "aufwärts.txt"
    paths["parent"].write_text(_article(99), encoding="utf-8")
    before, everything = _files(tmp_path / "uploads"), _files(tmp_path)

    added, verdicts = add_uploads(list(paths.values()), settings.corpus_dir, settings.max_file_bytes)
    by_key = dict(zip(paths, verdicts))
    assert _files(tmp_path / "uploads") == before  # the uploads are copied, never moved
    for path in added:
        assert path.parent == settings.corpus_dir and path.is_file()
    stored = {v.name for v in verdicts if not v.error}
    assert by_key["newline"].name == "bericht_zwei.txt" and by_key["control"].name == "bericht_[31m_.txt"
    assert by_key["unicode"].name == "Bericht über Ägypten – 東京 ✓.txt"
    assert len(by_key["long"].name) == MAX_NAME and by_key["long"].name.endswith(".txt")
    assert by_key["backslashes"].error and by_key["dotdot"].error  # hidden after sanitising: refused
    assert by_key["parent"].name == "aufwärts.txt"
    assert stored == {p.name for p in added} and all("/" not in n and "\\" not in n for n in stored)
    written = set(_files(tmp_path)) - set(everything)
    assert written == {f"articles/{name}" for name in stored}  # nothing anywhere else
    report = _index(settings)
    assert stored <= set(report.indexed) and not report.skipped


# Encodings and binary content


def test_binary_files_and_mixed_encodings(settings, capsys, cli_env):
    folder = settings.corpus_dir
    (folder / "mixed.txt").write_bytes(
        "Die Behörden in Stepanakert äußerten sich am Montag.\n".encode()
        + "Die Waffenruhe in Berg-Karabach hielt nur wenige Stunden, so die Behörden.\n".encode("cp1252")
    )
    (folder / "utf16.txt").write_text("Gespräche über die Waffenruhe in Moskau dauerten Stunden.\n", encoding="utf-16")
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(3000))
    (folder / "nul.md").write_bytes(b"Text\x00mit Nullbytes\x00" * 20)
    assert main(["index"]) == 0
    err = capsys.readouterr().err
    assert "skipped photo.txt: binary content, not text" in err and "skipped nul.md: binary" in err
    assert "mixed.txt: not valid UTF-8, decoded as utf-8+cp1252" in err
    mixed = read_article(folder / "mixed.txt", 10**6)
    assert isinstance(mixed, Article) and "äußerten" in mixed.text and "Berg-Karabach hielt" in mixed.text
    assert "Ã" not in mixed.text
    library = read_library(folder, Assistant(settings, embedder=HashingEmbedder()).store, settings.max_file_bytes)
    entries = {e.source: e for e in library.entries}
    assert entries["mixed.txt"].chunks and entries["utf16.txt"].chunks
    assert "binary" in entries["photo.txt"].problem
