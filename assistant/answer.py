"""Grounded answers: retrieve, prompt with the passages that fit, generate, then keep only what the
passages support, cited by the application. Abstains plainly when the sources do not answer."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field

from .cite import Attributed, Dropped, attribute
from .embed import Embedder
from .errors import BadQuestionError
from .generate import LLM
from .language import NAMES, detect
from .prompts import Chat, Prompt
from .retrieve import Retriever
from .settings import Settings
from .spans import Citation, Passage, Retrieved, citation, is_relevant, mark
from .tokens import count_tokens

ABSTENTION = {
    "de": "Die vorliegenden Quellen beantworten diese Frage nicht.",
    "en": "The sources provided do not answer this question.",
}
# What the small model writes instead of the sentinel when it means "not in the passages".
_NO_ANSWER = re.compile(
    r"NO_ANSWER|NO ANSWER|KEINE_ANTWORT|(passages|sources|texts?) (do|does) not (contain|mention|provide|say)"
    r"|(not|no) (mentioned|information|answer) (in|given|provided)|nicht (in den|aus den) (Passagen|Quellen|Texten)"
    r"|(enthalten|nennen|geben) (die )?(Passagen|Quellen|Texte) (keine|nicht)|keine (Angabe|Information)",
    re.IGNORECASE,
)
# Every prompt token costs the small model ~10-14 ms: passages scoring well below the best on both the dense
# and the lexical side are left out of the prompt (they stay in `retrieved`).
FOCUS_RATIO = 0.75
MIN_PASSAGES = 2


@dataclass
class Answer:
    question: str
    answer: str
    language: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[Retrieved]
    model: str
    prompt_version: str
    timings: dict[str, float]
    raw: str = ""
    dropped: list[Dropped] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list, repr=False)  # those the model was shown

    def to_json(self) -> dict:
        """The CLI's and evals' JSON shape."""
        return {
            "question": self.question,
            "answer": self.answer,
            "language": self.language,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "retrieved": [asdict(r) for r in self.retrieved],
            "model": self.model,
            "prompt_version": self.prompt_version,
            "timings": self.timings,
        }


@dataclass
class Token:
    """A piece of the model's raw reply, for showing progress while it generates."""

    text: str


def check_question(question: str, max_tokens: int) -> str:
    question = question.strip()
    if not question:
        raise BadQuestionError("the question is empty; ask something about the articles")
    tokens = count_tokens(question)
    if tokens > max_tokens:
        raise BadQuestionError(f"the question is {tokens} tokens long, the limit is {max_tokens}; shorten it")
    return question


def fit_passages(passages: Sequence[Passage], render, llm: LLM, budget: int) -> list[Passage]:
    """The longest prefix of the ranked passages whose prompt stays within the token budget."""
    kept = list(passages)
    while kept and llm.count_tokens(render(kept)) > budget:
        kept.pop()
    return kept


def focus(passages: Sequence[Passage]) -> list[Passage]:
    best_dense = max((p.dense for p in passages), default=0.0)
    best_lexical = max((p.lexical for p in passages), default=0.0)
    return [
        p
        for rank, p in enumerate(passages)
        if rank < MIN_PASSAGES
        or p.dense >= FOCUS_RATIO * best_dense
        or (best_lexical > 0 and p.lexical >= FOCUS_RATIO * best_lexical)
    ]


def cite_answer(attributed: list[Attributed], passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """Answer text with [n] after each sentence, numbered by first use, and one citation per source location."""
    numbering: dict[int, int] = {}
    sentences = []
    for sentence in attributed:
        for index in sentence.passages:
            numbering.setdefault(index, len(numbering) + 1)
        sentences.append(f"{sentence.text} {mark(numbering[index] for index in sentence.passages)}")
    citations = [citation(n, loc) for index, n in numbering.items() for loc in passages[index].locations]
    return " ".join(sentences), citations


def addresses_question(question: str, answer: str, llm: LLM, prompt: Prompt, check: Prompt) -> bool:
    """The model's own yes/no judgement of whether a (grounded) answer is about what was asked."""
    # Under the answer prompt's system text, so the KV cache of that prefix stays valid for the next question.
    variables = {"question": question, "answer": answer}
    messages = Chat([prompt.system_message(), check.user_message(**variables)], check.name, variables)
    verdict = "".join(llm.stream(messages, 3))
    return not verdict.strip().upper().startswith("NO")


def answer_stream(
    question: str,
    settings: Settings,
    *,
    retriever: Retriever,
    llm: LLM,
    embedder: Embedder,
    prompt: Prompt,
    check: Prompt,
    history: Sequence[tuple[str, str]] = (),
) -> Iterator[Token | Answer]:
    """Yields Token pieces while the model writes, then the checked Answer."""
    question = check_question(question, settings.max_question_tokens)
    started = time.perf_counter()
    language = detect(question)
    language_name = NAMES.get(language, "the language of the question")

    passages = retriever.search(question, settings.top_k)
    retrieved_at = time.perf_counter()

    def result(text: str, abstained: bool, used: Sequence[Passage], citations=(), raw="", dropped=()) -> Answer:
        done = time.perf_counter()
        return Answer(
            question=question,
            answer=text,
            language=language,
            abstained=abstained,
            citations=list(citations),
            retrieved=[
                Retrieved(loc.source, loc.start, loc.end, round(p.score, 6)) for p in passages for loc in p.locations
            ],
            model=llm.name,
            prompt_version=f"{prompt.id}+{check.id}",
            raw=raw,
            dropped=list(dropped),
            passages=list(used),
            timings={
                "retrieve_s": round(retrieved_at - started, 3),
                "generate_s": round(done - retrieved_at, 3),
                "total_s": round(done - started, 3),
            },
        )

    abstention = ABSTENTION.get(language, ABSTENTION["en"])
    if not is_relevant(passages):
        yield result(abstention, True, passages)
        return

    def render(chosen: Sequence[Passage]):
        messages = prompt.render(passages=chosen, question=question, language_name=language_name)
        # Earlier turns give the model context for a follow-up; retrieval above used the new question only.
        past = [
            m for q, a in history[-2:] for m in ({"role": "user", "content": q}, {"role": "assistant", "content": a})
        ]
        return Chat([messages[0], *past, messages[1]], prompt.name, messages.variables)

    used = fit_passages(focus(passages), render, llm, settings.n_ctx - settings.max_answer_tokens - 16)
    if not used:
        yield result(abstention, True, passages)
        return
    pieces = []
    for piece in llm.stream(render(used), settings.max_answer_tokens):
        pieces.append(piece)
        yield Token(piece)
    raw = "".join(pieces).strip()

    if not raw or _NO_ANSWER.search(raw):
        yield result(abstention, True, used, raw=raw)
        return
    attribution = attribute(raw, used, embedder)
    if not attribution.kept:
        yield result(abstention, True, used, raw=raw, dropped=attribution.dropped)
        return
    text, citations = cite_answer(attribution.kept, used)
    if not addresses_question(question, " ".join(s.text for s in attribution.kept), llm, prompt, check):
        off_topic = Dropped(text, "does not answer the question (the model's yes/no check)")
        yield result(abstention, True, used, raw=raw, dropped=[*attribution.dropped, off_topic])
        return
    yield result(text, False, used, citations, raw=raw, dropped=attribution.dropped)
