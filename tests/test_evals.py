"""The eval runner: caching by run key, rescoring, the baseline gate and the report files; first with fakes
on a two-item eval set, then the CI subset with the real default models (e2e)."""

import json
import shutil

import pytest
from test_cli import run as run_cli

from assistant.api import Assistant
from assistant.errors import AssistantError
from assistant.evals.run import EVALS_DIR, run_evals
from assistant.settings import Settings

from fakes import HashingEmbedder, ScriptedLLM

SOLDIERS_Q = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
CIVILIANS_Q = "Von wie vielen getöteten Zivilisten spricht die aserbaidschanische Seite?"
CUP_Q = "Wer hat die Fußball-Weltmeisterschaft 2018 gewonnen?"
ITEMS = [
    {
        "id": "soldiers",
        "question": SOLDIERS_Q,
        "language": "de",
        "kind": "fact",
        "gold_sources": ["003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"],
        "gold_passages": ["874 Soldaten"],
        "reference": "874",
        "must_include": [["874"]],
        "must_not_include": ["63"],
    },
    {
        "id": "civilians",
        "question": CIVILIANS_Q,
        "language": "de",
        "kind": "fact",
        "gold_sources": ["003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"],
        "gold_passages": ["63 getöteten Zivilisten"],
        "reference": "63",
        "must_include": [["63"]],
        "must_not_include": ["874"],
    },
    {
        "id": "cup",
        "question": CUP_Q,
        "language": "de",
        "kind": "unanswerable",
        "gold_sources": [],
        "gold_passages": [],
        "reference": "-",
        "must_include": [],
        "must_not_include": ["Frankreich"],
    },
]
REPLIES = {
    SOLDIERS_Q: "Laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet. [1]",
    CIVILIANS_Q: "Die aserbaidschanische Seite spricht von 63 getöteten Zivilisten. [1]",
    CUP_Q: "NO_ANSWER",
}


class AnswerBook(ScriptedLLM):
    """Replies by question, whatever order the items run in."""

    def __init__(self, replies: dict[str, str]):
        super().__init__()
        self.book = replies

    def stream(self, messages, max_tokens):
        self.calls.append(list(messages))
        question = messages.variables["question"]
        yield from (word + " " for word in self.book[question].split(" "))


@pytest.fixture
def evals_dir(tmp_path):
    folder = tmp_path / "evals"
    (folder / "questions").mkdir(parents=True)
    (folder / "questions" / "sample.jsonl").write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in ITEMS), encoding="utf-8"
    )
    (folder / "subsets.json").write_text('{"one": ["soldiers"]}', encoding="utf-8")
    return folder


@pytest.fixture
def fake_settings(settings, tmp_path):
    """Small stand-in model files: the run key hashes whatever the settings point at."""
    (tmp_path / "fake.gguf").write_bytes(b"not a model")
    (tmp_path / "embedder").mkdir()
    (tmp_path / "embedder" / "config.json").write_text("{}")
    return settings.model_copy(update={"llm_path": tmp_path / "fake.gguf", "embedder_path": tmp_path / "embedder"})


def _run(fake_settings, evals_dir, llm=None, **options):
    assistant = Assistant(fake_settings, embedder=HashingEmbedder(), llm=llm or AnswerBook(REPLIES))
    return run_evals(
        fake_settings, evals_dir=evals_dir, corpus_dirs=[fake_settings.corpus_dir], assistant=assistant, **options
    )


def test_outputs_are_cached_by_run_key_and_reused(fake_settings, evals_dir):
    llm = AnswerBook(REPLIES)
    first = _run(fake_settings, evals_dir, llm)
    assert first.ok and first.meta["generated"] == 3 and llm.calls
    record = json.loads((first.run_dir / "outputs.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["model"] == "scripted-test.gguf" and record["prompt_version"].startswith("answer@")
    assert record["key"] == first.meta["key"] and first.meta["llm"]["file"] == "fake.gguf"

    again = AnswerBook(REPLIES)
    second = _run(fake_settings, evals_dir, again)
    assert second.meta["cached"] == 3 and again.calls == [] and second.scores == first.scores
    other = _run(fake_settings.model_copy(update={"top_k": 3}), evals_dir)
    assert other.meta["key"] != first.meta["key"] and other.meta["generated"] == 3


def test_report_files_and_per_item_scores(fake_settings, evals_dir):
    run = _run(fake_settings, evals_dir)
    assert {p.name for p in run.run_dir.iterdir()} == {"outputs.jsonl", "report.md", "report.json", "chart.png"}
    assert (run.run_dir / "chart.png").read_bytes()[:4] == b"\x89PNG"
    report = json.loads((run.run_dir / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]["must_include"] == {
        "value": 1.0,
        "n": 2,
        "low": pytest.approx(0.3424, abs=1e-3),
        "high": 1.0,
    }
    assert report["metrics"]["abstention_accuracy"]["value"] == 1.0
    assert "| soldiers | fact | de | pass |" in (run.run_dir / "report.md").read_text(encoding="utf-8")


def test_regression_against_the_baseline_fails_the_run(fake_settings, evals_dir):
    baseline = _run(fake_settings, evals_dir, write_baseline=True)
    assert (evals_dir / "baseline.json").exists() and baseline.comparison is None
    # A model that refuses what it answered before (a wrong figure would not do: the claim checks replace it
    # with its evidence sentence).
    worse = {**REPLIES, SOLDIERS_Q: "NO_ANSWER", CIVILIANS_Q: "NO_ANSWER"}
    run = _run(fake_settings.model_copy(update={"seed": 1}), evals_dir, AnswerBook(worse))
    assert not run.ok and not run.gates
    assert "must_include" in {r.split()[0] for r in run.comparison["regressions"]}
    assert "regression: must_include" in (run.run_dir / "report.md").read_text(encoding="utf-8")


def test_rescore_runs_no_model_and_reads_the_same(fake_settings, evals_dir):
    first = _run(fake_settings, evals_dir)
    llm = AnswerBook({})
    again = _run(fake_settings, evals_dir, llm, rescore=first.run_dir)
    assert llm.calls == [] and again.meta["rescored_from"] == str(first.run_dir)
    assert again.metrics == first.metrics and again.run_dir != first.run_dir
    # A change to the scoring is carried into the baseline by rescoring its run, without generating again.
    _run(fake_settings, evals_dir, llm, rescore=first.run_dir, write_baseline=True)
    assert json.loads((evals_dir / "baseline.json").read_text(encoding="utf-8"))["metrics"] == first.metrics


def test_selection_and_baseline_rules(fake_settings, evals_dir):
    assert [s["id"] for s in _run(fake_settings, evals_dir, subset="one").scores] == ["soldiers"]
    assert [s["id"] for s in _run(fake_settings, evals_dir, ids=["cup"]).scores] == ["cup"]
    with pytest.raises(AssistantError, match="needs the whole set"):
        _run(fake_settings, evals_dir, limit=1, write_baseline=True)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--subset", "nope"], "no subset 'nope'"),
        (["--ids", "no-such-item"], "unknown item id(s): no-such-item"),
        (["--rescore", "/nonexistent"], "is not an eval run folder"),
        (["--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_cli_refuses_bad_selections_with_one_line(args, message):
    result = run_cli("eval", *args)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error:") and message in result.stderr


@pytest.mark.e2e
def test_ci_subset_with_the_real_models(tmp_path):
    """The handful of items CI runs: the real default models through the same runner as the full set."""
    folder = tmp_path / "evals"
    shutil.copytree(EVALS_DIR, folder, ignore=shutil.ignore_patterns("runs"))
    settings = Settings(_env_file=None)
    if not settings.llm_path.is_file() or not settings.embedder_path.is_dir():
        pytest.fail("the default models are missing: run `bash scripts/setup.sh`")
    run = run_evals(settings, subset="ci", evals_dir=folder, runs_dir=tmp_path / "runs")
    assert run.gates == [], run.gates  # every citation resolves to its exact quote; no empty output
    assert run.meta["generated"] == run.meta["items"]["scored"] >= 3
    assert run.metrics["citation_validity"]["value"] == 1.0 and run.metrics["empty_outputs"]["value"] == 0
    assert run.meta["items"]["briefings"] == 1 and run.metrics["briefing_citation_validity"]["value"] == 1.0
    # Items newer than the baseline are listed, not compared; every other item is held to the baseline.
    assert run.comparison is not None
    assert run.comparison["items"] + len(run.comparison["not_in_baseline"]) == run.meta["items"]["scored"]
    for name in ("must_include", "language_match", "latency_p50"):
        metric = run.metrics[name]
        assert metric["n"] > 0 and metric["low"] <= metric["value"] <= metric["high"]
    assert {p.name for p in run.run_dir.iterdir()} == {"outputs.jsonl", "report.md", "report.json", "chart.png"}
    for line in (run.run_dir / "outputs.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert record["model"] == settings.llm_path.name
        assert record["prompt_version"].startswith("answer@" if "answer" in record else "brief_shorten@")
