"""Grounded answers: retrieve, choose the evidence sentences, let the model phrase an answer from them, then keep
only what the evidence supports and the claim checks pass, cited by the application. Abstains plainly when the
sources do not answer."""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from .cite import Attributed, Dropped, attribute
from .claims import (
    Source,
    asked_kind,
    checkable_question,
    claim_problem,
    gives_kind,
    names_asked_party,
    off_question_problem,
)
from .dates import with_resolved_dates
from .disagreement import disagreement
from .embed import Embedder
from .errors import BadQuestionError
from .evidence import EvidenceSelector, embed_parts
from .faithful import translation_problem
from .generate import LLM, reply_line
from .language import NAMES, detect, question_parts, question_words
from .prompts import Chat, Prompt
from .retrieve import Retriever
from .settings import Settings
from .spans import MARK, Citation, Passage, Retrieved, citation, is_relevant, mark
from .text import numbers, stems, words
from .tokens import count_tokens

ABSTENTION = {
    "de": "Die vorliegenden Quellen beantworten diese Frage nicht.",
    "en": "The sources provided do not answer this question.",
}
# Why an answer is refused when only an article that carries instructions to an AI makes its claim.
PLANTED = {
    "de": "Nur {files} sagt das, ein Artikel mit Anweisungen an eine KI; das wird nicht als Antwort übernommen.",
    "en": "Only {files} says this, an article with instructions to an AI; it is not given as an answer.",
}
# What the small model writes instead of the sentinel when it means "not in the passages".
_NO_ANSWER = re.compile(
    r"NO_ANSWER|NO ANSWER|KEINE_ANTWORT|(passages|sources|texts?) (do|does) not (contain|mention|provide|say)"
    r"|(not|no) (mentioned|information|answer) (in|given|provided)|nicht (in den|aus den) (Passagen|Quellen|Texten)"
    r"|(enthalten|nennen|geben) (die )?(Passagen|Quellen|Texte) (keine|nicht)|keine (Angabe|Information)",
    re.IGNORECASE,
)
# The answer prompt asks for yes or no first on yes/no questions; the model puts it before open answers too.
_LEADING_YES = re.compile(r"^\s*(yes|ja|oui|sí|si)\s*[,.!:]\s*", re.I)
# An answer that repeats this share of the question's content words is about what was asked: the model's yes/no
# check is skipped. On the 199-question eval set the check turned away 8 answers: the right one among them repeats
# 90% of its question, the 6 off-topic ones 12-75% ("self-declared republic" for "when declared independence").
COVERS_QUESTION = 0.85
# How many of the evidence sentences most similar to the question that pass the code's checks an answer puts to
# the model's check, once every sentence the model phrased has failed its checks, before it abstains.
OTHER_EVIDENCE = 3
# A sentinel of the model's own making before the answer: "YES_ANSWER", "ANSWER:".
_SENTINEL = re.compile(r"^\s*(?:[A-Z]+_[A-Z_]+|ANSWER|ANTWORT)\b:?\s*")


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


def is_open_question(question: str, language: str) -> bool:
    return question_words(language).search(question) is not None


def covered(question: str, answer: str, language: str) -> float:
    """Share of the question's content words (stemmed, question words aside) that the answer repeats."""
    asked = set(stems(question_words(language).sub(" ", question), language))
    return len(asked & set(stems(answer, language))) / len(asked) if asked else 0.0


def tidy_reply(reply: str, question: str, language: str) -> str:
    """The reply without a sentinel the model made up ("YES_ANSWER"), without the numbers of the parts a question
    was asked in, and without a "Yes," before the answer to an open question ("Ja, der Tag war …")."""
    reply = _SENTINEL.sub("", reply, count=1)
    parts = len(question_parts(question, language))
    if parts > 1:
        # The prompt numbers the parts of such a question; the model echoes "(1)", which is no figure to check.
        reply = re.sub(rf"(?<!\S)\([1-{min(parts, 9)}]\)\s+", "", reply)
    if is_open_question(question, language):
        reply = _LEADING_YES.sub("", reply, count=1)
    return reply[:1].upper() + reply[1:]


def with_days(passage: Passage, language: str) -> Passage:
    """The evidence with the calendar day after each relative date, in the answer's language ("am Mittwoch (27.
    September 2023)"): the model reads it so and the checks compare the answer with it; citations still quote the
    file exactly, from the passage's locations."""
    return replace(passage, text=with_resolved_dates(passage.text, passage.dated_by_text, language))


def fit_passages(passages: Sequence[Passage], render, llm: LLM, budget: int) -> list[Passage]:
    """The longest prefix of the ranked passages whose prompt stays within the token budget."""
    kept = list(passages)
    while kept and llm.count_tokens(render(kept)) > budget:
        kept.pop()
    return kept


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


def addresses_question(question: str, answer: str, llm: LLM, prompts: AnswerPrompts) -> bool:
    """The model's own yes/no judgement of whether a (grounded) answer is about what was asked."""
    verdict = "".join(llm.stream(prompts.under_answer(prompts.check, question=question, answer=answer), 3))
    return not verdict.strip().upper().startswith("NO")


@dataclass(frozen=True)
class AnswerPrompts:
    """The prompts an answer uses. The yes/no check runs under the answer prompt's system text, so llama.cpp keeps
    the KV cache of that prefix for the next question; the translations have a translator's system text, since
    under the answer's the model answers instead of translating."""

    answer: Prompt
    check: Prompt
    translate_question: Prompt
    translate_sentence: Prompt

    def under_answer(self, prompt: Prompt, **variables) -> Chat:
        return Chat([self.answer.system_message(), prompt.user_message(**variables)], prompt.name, variables)

    @property
    def version(self) -> str:
        return "+".join(p.id for p in (self.answer, self.check, self.translate_question, self.translate_sentence))


def translated_queries(
    question: str, language: str, retriever: Retriever, llm: LLM, prompts: AnswerPrompts, settings: Settings
) -> dict[str, str]:
    """The question in its own language and in each other language that holds a fair share of the corpus."""
    queries = {language: question}
    for other, share in retriever.languages().items():
        if other == language or share < settings.translate_share or other not in NAMES:
            continue
        chat = prompts.translate_question.render(question=question, language_name=NAMES[other])
        translation = reply_line("".join(llm.stream(chat, 2 * count_tokens(question) + 16)))
        if is_translated_question(translation, question):
            queries[other] = translation
    return queries


def is_translated_question(translation: str, question: str) -> bool:
    """False for what the small model writes when it answers instead of translating: no question, a citation
    mark, NO_ANSWER, or numbers the question does not have. A wrong query would only add noise to the search."""
    return (
        bool(translation)
        and translation != question
        and translation.rstrip().endswith("?") == question.rstrip().endswith("?")
        and not MARK.search(translation)
        and not _NO_ANSWER.search(translation)
        and numbers(translation) <= numbers(question)
    )


def _source(passage: Passage) -> Source:
    return Source(passage.text, passage.published, passage.locations[0].language if passage.locations else "")


def answering_problem(question: str, passage: Passage, language: str, llm: LLM, prompts: AnswerPrompts) -> str | None:
    """Why an evidence sentence cannot stand as the answer to a question: the code's checks first, since they cost
    nothing, then the model's yes/no check."""
    problem = off_question_problem(question, _source(passage), language)
    if problem is None and not addresses_question(question, passage.text, llm, prompts):
        problem = "the model's yes/no check"
    return problem


def language_problem(sentence: str, language: str) -> str | None:
    """The small model copies its evidence's language into an answer in another ("Kremlsprecher Dmitri Peskow
    nannte the Lage nahezu absurd"): such a sentence is replaced by its source, translated. A short sentence
    gives detection too little to go on (a bare name reads as Turkish); on the 147 answer sentences of a full
    eval run, the 4 this flags were all written in two languages or the wrong one."""
    if len(words(sentence)) < 6:
        return None
    written = detect(sentence, language)
    if written != language:
        return f"it is written in {NAMES.get(written, written)}, the question in {NAMES.get(language, language)}"
    return None


# How an answer prints the source sentence a translation stands in for; the answer's language is the rest's.
ORIGINAL_NOTE = re.compile(r" \(original: «.*?»\)", re.S)


def from_evidence(
    passage: Passage, index: int, language: str, llm: LLM, embedder: Embedder, prompts: AnswerPrompts
) -> tuple[Attributed, str]:
    """The evidence sentence itself as an answer sentence: verbatim in its own language, else translated (checked
    for numbers, negations and names) with the original beside it; (sentence, how) where how says which."""
    text = " ".join(passage.text.split())  # with its relative dates resolved (with_days)
    original = " ".join(passage.locations[0].text.split()) if passage.locations else text
    own = passage.locations[0].language if passage.locations else ""
    if own in ("", language):
        return Attributed(text, [index]), "quoted from its source"
    chat = prompts.translate_sentence.render(text=text, language_name=NAMES.get(language, language))
    translation = reply_line("".join(llm.stream(chat, 2 * count_tokens(text) + 16)))
    if translation_problem(translation, text, embedder, language=language, source_language=own) is None:
        return Attributed(f"{translation} (original: «{original}»)", [index]), "its source, translated"
    return Attributed(f"«{original}»", [index]), "its source, quoted in the original language"


def other_evidence(
    question: str,
    used: Sequence[Passage],
    tried: set[int],
    language: str,
    settings: Settings,
    llm: LLM,
    prompts: AnswerPrompts,
) -> int | None:
    """The index of an evidence sentence that answers the question when the model phrased its answer from another
    one (it cites the sentence beside "An AFP reporter counted six trucks"): a confident one that the code's checks
    can vouch for (the question asks for a count of what, a time, a named party's words, a day, ...); of those, the
    few most similar to the question go to the model's yes/no check, one that names the party asked about first,
    since a sentence in reported speech without a speaker passes the party check whoever spoke it. The code's checks
    come first because they cost nothing: the closest sentences are often the ones they turn away (the toll of
    another day)."""
    if not checkable_question(question, language):
        return None

    def vouched(index: int) -> bool:
        passage = used[index]
        if index in tried or passage.flagged or passage.dense < settings.confident_evidence:
            return False
        return off_question_problem(question, _source(passage), language) is None

    closest = [i for i in sorted(range(len(used)), key=lambda i: -used[i].dense) if vouched(i)][:OTHER_EVIDENCE]
    for index in sorted(closest, key=lambda i: not names_asked_party(question, used[i].text)):
        if addresses_question(question, used[index].text, llm, prompts):
            return index
    return None


def unanswered_parts(
    parts: Sequence[tuple[str, np.ndarray]], sentences: Sequence[Attributed], used: Sequence[Passage]
) -> list[tuple[str, int]]:
    """(part, index of its closest evidence) for each part of a question of several parts that the answer leaves
    out: the small model answers one part of "Who ordered the withdrawal, on whose proposal, and on what date?"
    and drops the others. Each evidence sentence bears on the part it is most similar to; a part is answered where
    the answer cites the sentence that bears on it most. Any other one may answer it no better than the sentence
    printed in place of a wrong phrasing ("Armenien und Aserbaidschan haben in Moskau direkte Gespräche
    aufgenommen" for "wer lud zu den Gesprächen nach Moskau ein?")."""
    vectors = [passage.vector for passage in used if passage.vector is not None]
    if not parts or len(vectors) < len(used):
        return []
    similarity = np.stack(vectors) @ np.stack([vector for _, vector in parts]).T
    bears_on = similarity.argmax(axis=1)
    cited = {index for sentence in sentences for index in sentence.passages}
    missing = []
    for number, (part, _) in enumerate(parts):
        own = [index for index in range(len(used)) if bears_on[index] == number]
        closest = max(own, key=lambda index: similarity[index, number], default=None)
        if closest is not None and closest not in cited:
            missing.append((part, closest))
    return missing


def answer_stream(
    question: str,
    settings: Settings,
    *,
    retriever: Retriever,
    selector: EvidenceSelector,
    llm: LLM,
    embedder: Embedder,
    prompts: AnswerPrompts,
    history: Sequence[tuple[str, str]] = (),
) -> Generator[Token | Answer, None, None]:
    """Yields Token pieces while the model writes, then the checked Answer.

    Evidence first: the application picks the evidence sentences, the model phrases the answer from them only,
    and each answer sentence must be supported by the evidence it cites and pass the code checks of claims.py.
    A sentence that fails is replaced by its evidence sentence (translated where the question is in another
    language), so a right fact badly phrased is still answered, and never stated wrongly."""
    question = check_question(question, settings.max_question_tokens)
    started = time.perf_counter()
    language = detect(question)
    language_name = NAMES.get(language, "the language of the question")

    queries = translated_queries(question, language, retriever, llm, prompts, settings)
    question_vector = embedder.embed_query(question)
    passages = retriever.search(question, settings.top_k, language, queries, question_vector)
    relevant = is_relevant(passages)
    parts = embed_parts(question, language, embedder) if relevant else []
    evidence = selector.select(question_vector, queries, passages, parts) if relevant else []
    evidence = [with_days(passage, language) for passage in evidence]
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
            prompt_version=prompts.version,
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
    if not evidence or max(p.dense for p in evidence) < settings.min_evidence:
        yield result(abstention, True, evidence)
        return

    def render(chosen: Sequence[Passage]):
        messages = prompts.answer.render(
            passages=chosen,
            question=question,
            language_name=language_name,
            parts=question_parts(question, language),
            yes_no=not is_open_question(question, language),
        )
        # Earlier turns give the model context for a follow-up; retrieval above used the new question only.
        past = [
            m for q, a in history[-2:] for m in ({"role": "user", "content": q}, {"role": "assistant", "content": a})
        ]
        return Chat([messages[0], *past, messages[1]], prompts.answer.name, messages.variables)

    used = fit_passages(evidence, render, llm, settings.n_ctx - settings.max_answer_tokens - 16)
    if not used:
        yield result(abstention, True, evidence)
        return
    pieces = []
    for piece in llm.stream(render(used), settings.max_answer_tokens):
        pieces.append(piece)
        yield Token(piece)
    raw = "".join(pieces).strip()

    if not raw or _NO_ANSWER.search(raw):
        top = used[0]
        crossed = bool(top.locations) and top.locations[0].language not in ("", language)
        # Across languages the small model replies NO_ANSWER to evidence that answers (a third of the eval set's
        # cross-lingual questions): a confident evidence sentence that the yes/no check finds on topic is given
        # instead, translated with its original beside it. Within one language its NO_ANSWER stands.
        if (
            not crossed
            or top.dense < settings.confident_evidence
            or top.flagged
            or answering_problem(question, top, language, llm, prompts)
        ):
            yield result(abstention, True, used, raw=raw)
            return
        fallback, how = from_evidence(top, 0, language, llm, embedder, prompts)
        text, citations = cite_answer([fallback], used)
        yield result(text, False, used, citations, raw=raw, dropped=[Dropped(fallback.text, f"printed instead: {how}")])
        return
    attribution = attribute(tidy_reply(raw, question, language), used, embedder, frozenset(numbers(question)))
    sentences: list[Attributed] = []
    dropped = list(attribution.dropped)
    replaced: list[int] = []  # evidence indexes the model phrased wrongly: the answer quotes them instead
    for sentence in attribution.kept:
        problem = language_problem(sentence.text, language) or claim_problem(
            sentence.text, [_source(used[i]) for i in sentence.passages], question, language
        )
        if problem is None:
            # "on Wednesday" copied from the evidence: the reader gets the day it means, from the cited article.
            published = next((d for i in sentence.passages if (d := used[i].dated_by_text)), None)
            sentences.append(replace(sentence, text=with_resolved_dates(sentence.text, published, language)))
        else:
            dropped.append(Dropped(sentence.text, problem))
            replaced.append(sentence.passages[0])
    for claims in attribution.unsupported_claims:
        # A sentence without a mark, and without a number that names its evidence (cite._by_numbers), is read as
        # phrased from the best evidence: the model leans on it most, and any other guess (the evidence sharing
        # most of its words) picks what merely repeats the question.
        marked = [n - 1 for n in claims if 0 < n <= len(used)]
        replaced.append(marked[0] if marked else 0)
    kind = asked_kind(question, language)
    for index in dict.fromkeys(replaced):
        # Another sentence from the same evidence stands for it only where it gives what the question asks for:
        # "Dies wurde von Putin in Moskau angegeben." kept beside a dropped toll gives no count.
        if any(index in s.passages and (kind is None or gives_kind(s.text, kind, language)) for s in sentences):
            continue
        # The source a wrong phrasing came from may be beside the point ("how many inhabitants?" phrased from a
        # sentence on 874 dead soldiers): printed only if the code's checks and the model's yes/no check find it
        # answers the question.
        beside = answering_problem(question, used[index], language, llm, prompts)
        if beside is not None:
            dropped.append(Dropped(used[index].text, f"its source does not answer the question: {beside}"))
            continue
        fallback, how = from_evidence(used[index], index, language, llm, embedder, prompts)
        sentences.append(fallback)
        dropped.append(Dropped(fallback.text, f"printed instead: {how}"))
    planted = [s for s in sentences if all(used[i].flagged for i in s.passages)]
    planted_files = ", ".join(dict.fromkeys(source for s in planted for i in s.passages for source in used[i].sources))
    for sentence in planted:
        files = ", ".join(dict.fromkeys(source for i in sentence.passages for source in used[i].sources))
        dropped.append(Dropped(sentence.text, f"only {files} says this, an article with instructions to an AI"))
        sentences.remove(sentence)
    if sentences and kind is not None and not gives_kind(" ".join(s.text for s in sentences), kind, language):
        dropped += [Dropped(s.text, f"it gives no {kind}, the question asks for one") for s in sentences]
        sentences = []
    if not sentences and not planted:
        answering = other_evidence(question, used, set(replaced), language, settings, llm, prompts)
        if answering is not None:
            fallback, how = from_evidence(used[answering], answering, language, llm, embedder, prompts)
            sentences.append(fallback)
            dropped.append(
                Dropped(fallback.text, f"printed instead: {how}; the model phrased its answer from other evidence")
            )
    if not sentences:
        if planted:
            abstention += " " + PLANTED.get(language, PLANTED["en"]).format(files=planted_files)
        yield result(abstention, True, used, raw=raw, dropped=dropped)
        return
    for part, index in unanswered_parts(parts, sentences, used):
        # The same gates as a sentence printed in place of a wrong phrasing, asked of the part it would answer; one
        # already turned away in that place stays out.
        if index in replaced or used[index].flagged or answering_problem(part, used[index], language, llm, prompts):
            continue
        added, how = from_evidence(used[index], index, language, llm, embedder, prompts)
        sentences.append(added)
        dropped.append(Dropped(added.text, f"added: {how}; the answer left out the part {part!r}"))
    disputed = disagreement(question, used, " ".join(s.text for s in sentences), language)
    if disputed is not None:
        sentences.append(disputed)
    text, citations = cite_answer(sentences, used)
    answered = " ".join(s.text for s in sentences)
    if (
        used[0].dense < settings.confident_evidence
        and covered(question, answered, language) < COVERS_QUESTION
        and not addresses_question(question, answered, llm, prompts)
    ):
        off_topic = Dropped(text, "does not answer the question (the model's yes/no check)")
        yield result(abstention, True, used, raw=raw, dropped=[*dropped, off_topic])
        return
    yield result(text, False, used, citations, raw=raw, dropped=dropped)
