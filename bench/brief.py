"""Briefing of the sample corpus: wall time and peak memory of `assistant brief` (German, and English on a topic)
as a user runs it, each a fresh process, against baselines measured in the same run: one `assistant ask`, and
raw llama-cpp-python generating as many tokens as the briefing's model calls did. With --scale: a topic briefing
over a library of the sample and the development corpus (evals/corpus/) against the same topic over the sample
alone, first with no cached model replies (as on a new index), then again.

    .venv/bin/python bench/brief.py [--scale]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant.backends import load_llm  # noqa: E402
from assistant.settings import Settings  # noqa: E402

from _util import ROOT, run_measured, table  # noqa: E402

ASSISTANT = str(ROOT / ".venv/bin/assistant")
QUESTION = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
TOPIC = "Internationale Vermittlung im Konflikt um Berg-Karabach"
SCALE_TOPIC = "Death tolls and aid access in north-west Syria after the February 2023 earthquake"


def raw_generation(tokens: int) -> float:
    """Seconds llama-cpp-python takes for `tokens` new tokens (model loaded; prompt of a few tokens)."""
    llama = load_llm(Settings(_env_file=None)).llama
    llama.create_completion("Erzähle", max_tokens=1)  # warm
    started = time.perf_counter()
    made = 0
    while made < tokens:
        llama.reset()
        out = llama.create_completion(
            "Schreibe einen langen Bericht über das Wetter in Europa:\n", max_tokens=tokens - made, temperature=0.0
        )
        made += out["usage"]["completion_tokens"]
    return time.perf_counter() - started


def main() -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-brief-"))
    env = {"ASSISTANT_INDEX_DIR": str(workdir / "index")}
    try:
        run_measured([ASSISTANT, "index"], env=env)
        rows, briefs = [], {}
        for name, extra in (
            ("brief (de, all articles)", []),
            ("brief (en, topic)", ["--lang", "en", "--topic", TOPIC]),
        ):
            out = workdir / f"{len(briefs)}.json"
            wall, rss, _ = run_measured([ASSISTANT, "brief", "--json", "--out", str(out), *extra], env=env)
            briefs[name] = json.loads(out.read_text(encoding="utf-8"))
            rows.append([name, wall, rss, briefs[name]["stats"]["model_calls"], briefs[name]["stats"]["model_tokens"]])
        ask_wall, ask_rss, _ = run_measured([ASSISTANT, "ask", QUESTION], env=env)
        rows.append(["ask (one question, baseline)", ask_wall, ask_rss, 1, ""])
        tokens = max(b["stats"]["model_tokens"] for b in briefs.values())
        raw = raw_generation(tokens)
        rows.append([f"raw llama-cpp, {tokens} tokens (baseline, model loaded)", raw, "", "", tokens])
        de = rows[0][1]
        lines = table(
            "Briefing of the sample corpus (fresh process each: model loading included)",
            ["command", "wall s", "peak RSS MiB", "model calls", "new tokens"],
            rows,
        )
        lines += f"\nbrief (de) / ask: {de / ask_wall:.2f}x; brief (en) / ask: {rows[1][1] / ask_wall:.2f}x\n"
        for name, data in briefs.items():
            stats = data["stats"]
            lines += (
                f"\n{name}: {stats['sentences']} sentences, {stats['by_model']} rewritten by the model, "
                f"{stats['from_sources']} source sentences, {stats['summaries']} summaries; model replies "
                f"rejected {stats['model_replies_rejected']} of {stats['model_calls']}; copied share "
                f"{stats['copied_share']:.2f}, length ratio {stats['length_ratio']:.2f}; "
                f"in-process {data['timings']['total_s']:.1f} s\n"
            )
        return lines
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def library_scale() -> str:
    """A topic briefing over the sample plus the development corpus, against the same topic over the sample alone
    (the baseline), each on a fresh index (no cached model replies: 'new') and then again ('again')."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    library = workdir / "library"
    library.mkdir()
    for folder in (ROOT / "articles", ROOT / "evals" / "corpus"):
        for article in sorted(folder.iterdir()):
            if article.is_file():
                shutil.copy(article, library / article.name)
    runs = [
        ("sample (baseline)", ROOT / "articles", ["--lang", "en", "--topic", TOPIC]),
        ("library", library, ["--lang", "en", "--topic", TOPIC]),
        ("library", library, ["--lang", "en", "--topic", SCALE_TOPIC]),
    ]
    try:
        rows, baseline = [], {}
        for number, (name, folder, extra) in enumerate(runs):
            env = {"ASSISTANT_INDEX_DIR": str(workdir / f"index{number}")}
            run_measured([ASSISTANT, "index", str(folder)], env=env)
            articles = sum(1 for f in folder.iterdir() if f.is_file())
            for when in ("new", "again"):
                out = workdir / f"{number}-{when}.json"
                wall, _, _ = run_measured([ASSISTANT, "brief", "--json", "--out", str(out), *extra], env=env)
                data = json.loads(out.read_text(encoding="utf-8"))
                stats, timings = data["stats"], data["timings"]
                baseline.setdefault(when, wall)
                rows.append(
                    [
                        f"{name}, {articles} articles", extra[-1][:48], when, wall, timings["prepare_s"],
                        timings["write_s"], stats["attribution_calls"], stats["model_calls"], wall / baseline[when],
                    ]
                )  # fmt: skip
        return table(
            "Topic briefing (en) over a library against the sample alone (fresh process each)",
            [
                "library", "topic", "model replies cached", "wall s", "prepare s", "write s", "attribution calls",
                "writing calls", "ratio to sample",
            ],
            rows,
        )  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    print(library_scale() if "--scale" in sys.argv else main())
