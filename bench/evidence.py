"""Evidence recall without the answer model: for every answerable eval question, does the text the model would be
shown hold every fact the answer needs (the item's gold passages, scored as the eval scores them)? The evidence
sentences the application picks, against the baselines measured in the same run: the whole top-k passages
retrieval hands on (what the prompt held before evidence selection), with their prompt size in tokens. Also the
best evidence score of answerable and unanswerable questions, which the abstention threshold is set from.

The questions are searched as the pipeline searches them, in their translations into the corpus languages too;
the model's translations are cached in bench/cache/queries.json (keyed by model and prompt version), so a rerun
loads no language model.

    .venv/bin/python bench/evidence.py [--pool 10] [--evidence 6] [--ids ID ...] [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings  # noqa: E402
from assistant.answer import translated_queries  # noqa: E402
from assistant.evals.checks import facts_shown  # noqa: E402
from assistant.evals.items import load_evalset, read_corpus  # noqa: E402
from assistant.evals.run import EVAL_CORPORA, EVALS_DIR, index_eval_corpus, mirror_corpus  # noqa: E402
from assistant.evidence import EvidenceSelector, embed_parts  # noqa: E402
from assistant.language import detect  # noqa: E402
from assistant.tokens import count_tokens  # noqa: E402

from _util import ROOT, percentile, table  # noqa: E402

QUERIES = ROOT / "bench" / "cache" / "queries.json"


def locations(passages) -> list[list[dict]]:
    return [[{"source": loc.source, "start": loc.start, "end": loc.end} for loc in p.locations] for p in passages]


class Queries:
    """The question in every corpus language, as the pipeline asks the model for it, cached across runs."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.cache = json.loads(QUERIES.read_text(encoding="utf-8")) if QUERIES.exists() else {}

    def __call__(self, question: str, language: str) -> dict[str, str]:
        prompts = self.assistant.answer_prompts()
        key = f"{self.assistant.settings.llm_path.name}|{prompts.translate_question.id}|{question}"
        if key not in self.cache:
            self.cache[key] = translated_queries(
                question, language, self.assistant.retriever, self.assistant.llm, prompts, self.assistant.settings
            )
        return self.cache[key]

    def save(self) -> None:
        QUERIES.parent.mkdir(parents=True, exist_ok=True)
        QUERIES.write_text(json.dumps(self.cache, ensure_ascii=False, indent=0), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", type=int, default=None, help="passages evidence is chosen from (default: top_k)")
    parser.add_argument(
        "--evidence", type=int, default=None, help="evidence sentences at most, for every question (default: settings)"
    )
    parser.add_argument("--ids", nargs="*", help="only these items")
    parser.add_argument("--misses", action="store_true", help="list the facts the evidence misses")
    args = parser.parse_args()
    corpus = read_corpus(EVAL_CORPORA)
    evalset = load_evalset(EVALS_DIR, corpus).select(ids=args.ids)
    runs = ROOT / "evals" / "runs"
    settings = Settings(corpus_dir=mirror_corpus(corpus, runs / ".corpus"), index_dir=runs / ".index", _env_file=None)
    pool = args.pool or settings.top_k
    assistant = Assistant(settings)
    print(index_eval_corpus(assistant).summary(), file=sys.stderr)
    queries = Queries(assistant)
    selector = EvidenceSelector(
        assistant.embedder, args.evidence or settings.max_evidence, args.evidence or settings.max_evidence_several
    )
    cuts = sorted({5, 10, pool} & set(range(1, pool + 1)))
    rows: dict[str, list[bool]] = {**{f"top {k} passages": [] for k in cuts}, "evidence": []}
    tokens: dict[str, list[int]] = {name: [] for name in rows}
    best: dict[bool, list[float]] = {True: [], False: []}
    seconds, sizes, misses = [], [], []
    for item in evalset.questions:
        language = detect(item.question)
        asked = queries(item.question, language)
        started = time.perf_counter()
        vector = assistant.embedder.embed_query(item.question)
        passages = assistant.retriever.search(item.question, pool, language, asked, vector)
        evidence = selector.select(vector, asked, passages, embed_parts(item.question, language, assistant.embedder))
        seconds.append(time.perf_counter() - started)
        sizes.append(len(evidence))
        best[item.answerable].append(max((p.dense for p in evidence), default=0.0))
        if not item.answerable or not item.gold_passages:
            continue
        shown = {f"top {k} passages": passages[:k] for k in cuts} | {"evidence": evidence}
        for name, used in shown.items():
            facts = facts_shown(locations(used), item.gold_passages, corpus)
            rows[name].append(bool(facts) and not facts["missing"])
            tokens[name].append(sum(count_tokens(p.text) for p in used))
            if name == "evidence" and facts and facts["missing"]:
                misses.append(f"{item.id}: {'; '.join(facts['missing'])}")
    queries.save()
    n = len(rows["evidence"])
    print(table(
        f"Needed facts in the prompt ({n} answerable questions with gold passages; pool {pool}, "
        f"evidence ≤ {selector.max_evidence}, ≤ {selector.max_evidence_several} for one that names several things "
        "in one clause)",
        ["prompt holds", "all facts shown", "tokens p50", "ratio to the top-10 passages (facts)"],
        [[name, f"{sum(r) / n:.1%}", f"{percentile(tokens[name], 0.5):.0f}",
          f"{sum(r) / max(1, sum(rows.get('top 10 passages', r))):.2f}"] for name, r in rows.items()],
    ))  # fmt: skip
    print(table(
        "Best evidence similarity to the question (min_evidence is set from it)",
        ["questions", "n", "p10", "p50", "p90"],
        [[("answerable" if k else "unanswerable"), len(v), f"{percentile(v, 0.1):.3f}", f"{percentile(v, 0.5):.3f}",
          f"{percentile(v, 0.9):.3f}"] for k, v in best.items()],
    ))  # fmt: skip
    print(
        f"retrieval + evidence per question: p50 {percentile(seconds, 0.5):.3f} s, p95 {percentile(seconds, 0.95):.3f} s"
    )
    print(f"evidence sentences per question: mean {np.mean(sizes):.1f}")
    if args.misses:
        print("\n".join(["", "Facts the evidence misses:", *misses]))


if __name__ == "__main__":
    main()
