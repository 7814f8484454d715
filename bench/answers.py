"""Answer latency per question, the whole pipeline (translated query, evidence selection, generation, claim checks,
fallbacks) against a plain retrieve-and-generate baseline measured in the same run: the same model, retriever and
top 5 passages in the prompt, no checks. Questions from the eval set (German and English, several stories).

    .venv/bin/python bench/answers.py [--n 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assistant import Assistant, Settings  # noqa: E402
from assistant.evals.items import load_evalset, read_corpus  # noqa: E402
from assistant.evals.run import EVAL_CORPORA, EVALS_DIR, mirror_corpus  # noqa: E402
from assistant.language import NAMES, detect  # noqa: E402
from assistant.prompts import Chat  # noqa: E402

from _util import ROOT, percentile, table  # noqa: E402

# The baseline's prompt: whole passages, the rules of the answer prompt before evidence selection.
PLAIN_SYSTEM = (
    "You answer questions about news articles using ONLY the numbered passages you are given. If the passages do "
    "not contain the answer, reply with exactly: NO_ANSWER. Answer in one to three short sentences. After each "
    "sentence, put the number of the passage it comes from, like [1]."
)


def plain(assistant: Assistant, question: str, k: int = 5) -> float:
    started = time.perf_counter()
    language = detect(question)
    passages = assistant.retriever.search(question, k, language)
    listing = "\n".join(f"[{n}] ({', '.join(p.sources)}) {p.text}" for n, p in enumerate(passages, 1))
    user = f"Passages:\n{listing}\n\nQuestion: {question}\nAnswer in {NAMES.get(language, 'English')}:"
    chat = Chat([{"role": "system", "content": PLAIN_SYSTEM}, {"role": "user", "content": user}], "plain")
    "".join(assistant.llm.stream(chat, assistant.settings.max_answer_tokens))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="questions (every k-th of the eval set)")
    args = parser.parse_args()
    corpus = read_corpus(EVAL_CORPORA)
    questions = load_evalset(EVALS_DIR, corpus).questions
    chosen = questions[:: max(1, len(questions) // args.n)][: args.n]
    runs = ROOT / "evals" / "runs"
    settings = Settings(corpus_dir=mirror_corpus(corpus, runs / ".corpus"), index_dir=runs / ".index", _env_file=None)
    assistant = Assistant(settings)
    assistant.index()
    assistant.ask(chosen[0].question)  # models loaded, caches warm
    ours, theirs = [], []
    for item in chosen:
        # Alternate, so a change of the machine's load falls on both alike.
        theirs.append(plain(assistant, item.question))
        ours.append(assistant.ask(item.question).timings["total_s"])
    rows = [
        ["plain retrieve-and-generate (baseline)", percentile(theirs, 0.5), percentile(theirs, 0.95), 1.0],
        ["assistant.ask (evidence, checks)", percentile(ours, 0.5), percentile(ours, 0.95),
         percentile(ours, 0.5) / percentile(theirs, 0.5)],
    ]  # fmt: skip
    print(table(f"Answer latency, {len(chosen)} eval questions, models loaded", ["pipeline", "p50 s", "p95 s",
                "ratio of p50 to baseline"], rows))  # fmt: skip


if __name__ == "__main__":
    main()
