"""Evidence recall without the language model: for every answerable eval question, does the text the model would
be shown hold every fact the answer needs (the item's gold passages)? The evidence sentences the application
picks, against the baseline measured in the same run: the whole top-k passages (what the prompt held before
evidence selection), with their prompt size in tokens. Also the best evidence score of answerable and
unanswerable questions, which the abstention threshold is set from.

    .venv/bin/python bench/evidence.py [--top-k 5] [--pool 10] [--evidence 6]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings  # noqa: E402
from assistant.evals.items import load_evalset, read_corpus  # noqa: E402
from assistant.evals.run import EVAL_CORPORA, EVALS_DIR, mirror_corpus  # noqa: E402
from assistant.evidence import EvidenceSelector  # noqa: E402
from assistant.language import detect  # noqa: E402
from assistant.tokens import count_tokens  # noqa: E402

from _util import ROOT, percentile, table  # noqa: E402


def shown(passages, gold: tuple[str, ...]) -> bool:
    return all(any(g in loc.text for p in passages for loc in p.locations) for g in gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top-k", type=int, default=5, help="passages in the baseline prompt")
    parser.add_argument("--pool", type=int, default=10, help="passages evidence is chosen from")
    parser.add_argument("--evidence", type=int, default=6, help="evidence sentences at most")
    args = parser.parse_args()
    corpus = read_corpus(EVAL_CORPORA)
    evalset = load_evalset(EVALS_DIR, corpus)
    runs = ROOT / "evals" / "runs"
    settings = Settings(corpus_dir=mirror_corpus(corpus, runs / ".corpus"), index_dir=runs / ".index", _env_file=None)
    assistant = Assistant(settings)
    print(assistant.index().summary(), file=sys.stderr)
    selector = EvidenceSelector(assistant.embedder, args.evidence)
    rows: dict[str, list] = {"baseline": [], "evidence": []}
    tokens: dict[str, list] = {"baseline": [], "evidence": []}
    best: dict[bool, list[float]] = {True: [], False: []}
    seconds, sizes = [], []
    for item in evalset.questions:
        language = detect(item.question)
        started = time.perf_counter()
        vector = assistant.embedder.embed_query(item.question)
        passages = assistant.retriever.search(item.question, args.pool, language=language)
        evidence = selector.select(vector, {language: item.question}, passages)
        seconds.append(time.perf_counter() - started)
        sizes.append(len(evidence))
        best[item.answerable].append(evidence[0].score if evidence else 0.0)
        if not item.answerable or not item.gold_passages:
            continue
        for name, used in (("baseline", passages[: args.top_k]), ("evidence", evidence)):
            rows[name].append(shown(used, item.gold_passages))
            tokens[name].append(sum(count_tokens(p.text) for p in used))
    n = len(rows["baseline"])
    print(table(
        f"Needed facts in the prompt ({n} answerable questions with gold passages)",
        ["prompt holds", "all facts shown", "tokens p50", "ratio to baseline (facts)"],
        [[name, f"{sum(r) / n:.1%}", f"{percentile(tokens[name], 0.5):.0f}", f"{sum(r) / max(1, sum(rows['baseline'])):.2f}"]
         for name, r in rows.items()],
    ))  # fmt: skip
    print(table(
        "Best evidence score (dense + lexical + period)",
        ["questions", "n", "p10", "p50", "p90"],
        [[("answerable" if k else "unanswerable"), len(v), f"{percentile(v, 0.1):.3f}", f"{percentile(v, 0.5):.3f}",
          f"{percentile(v, 0.9):.3f}"] for k, v in best.items()],
    ))  # fmt: skip
    print(
        f"retrieval + evidence per question: p50 {percentile(seconds, 0.5):.3f} s, p95 {percentile(seconds, 0.95):.3f} s"
    )
    print(f"evidence sentences per question: mean {np.mean(sizes):.1f}")


if __name__ == "__main__":
    main()
