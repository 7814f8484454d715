"""The console script as a user runs it: one-line errors with exit code 2 that change nothing on disk,
and the JSON shape of `assistant ask --json` with the real models."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.prompts import load_prompt


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def _snapshot(folder: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "args, env_extra, message",
    [
        (["ask", "   "], {}, "question is empty"),
        (["ask", "Wort " * 400], {}, "tokens long"),
        (["ask", "Wer vermittelt?"], {"ASSISTANT_INDEX_DIR": "{tmp}/no-index"}, "run `assistant index`"),
        (["ask", "Wer vermittelt?"], {"ASSISTANT_LLM_PATH": "{tmp}/missing.gguf"}, "no model file"),
        (["index"], {"ASSISTANT_EMBEDDER_PATH": "{tmp}/no-embedder"}, "no sentence-transformers model"),
        (["index", "{tmp}/not-a-folder"], {}, "is not a folder"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_changes(tmp_path, args, env_extra, message):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    # A model file that is never loaded: each case fails before any model loads, so no model files are needed.
    (tmp_path / "model.gguf").write_bytes(b"GGUF" + (3).to_bytes(4, "little"))
    env = {
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_LLM_PATH": str(tmp_path / "model.gguf"),
        **{k: v.format(tmp=tmp_path) for k, v in env_extra.items()},
    }
    before = _snapshot(tmp_path)
    result = run(*[a.format(tmp=tmp_path) for a in args], env=env, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and message in error_lines[0], result.stderr
    assert _snapshot(tmp_path) == before


@pytest.mark.e2e
def test_ask_json_has_the_documented_shape(tmp_path, corpus):
    env = {"ASSISTANT_INDEX_DIR": str(tmp_path / "index"), "ASSISTANT_MAX_ANSWER_TOKENS": "64"}
    indexed = run("index", str(corpus), env=env)
    assert indexed.returncode == 0, indexed.stderr
    assert "3 indexed" in indexed.stdout

    result = run("ask", "--json", "Welche Staaten bilden die Minsk-Gruppe?", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "question",
        "answer",
        "language",
        "abstained",
        "citations",
        "retrieved",
        "model",
        "prompt_version",
        "timings",
    }
    assert data["language"] == "de" and data["abstained"] is False
    assert "Frankreich" in data["answer"]
    assert data["model"] == "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf" and data["prompt_version"] == "+".join(
        load_prompt(name).id for name in ("answer", "answer_check", "translate_question", "translate_sentence")
    )
    assert set(data["timings"]) == {"retrieve_s", "generate_s", "total_s"}
    citation = data["citations"][0]
    assert set(citation) == {"n", "source", "start", "end", "quote", "date"}
    text = (corpus / citation["source"]).read_text(encoding="utf-8")
    assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert all(set(r) == {"source", "start", "end", "score"} for r in data["retrieved"])
