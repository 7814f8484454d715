"""The hand-written eval set in evals/: question items (questions/*.jsonl) and briefing items
(briefings/*.jsonl), one file per story, checked against the corpus on load so a typo in a gold passage or a
file name fails loudly instead of scoring zero."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError
from ..ingest import decode

KINDS = ("fact", "multi_source", "unanswerable", "contested")
LANGUAGES = ("de", "en")
# Adversarial items, by the failure they probe; the report has a table per tag.
TAGS = ("yes_no_no", "two_roles", "number_as_date", "other_period", "two_articles", "relative_date", "cross_lingual")

# Groups of accepted variants: each group must be matched by one of its variants.
Groups = tuple[tuple[str, ...], ...]


class EvalSetError(AssistantError):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    kind: str
    gold_sources: tuple[str, ...]
    # Each fact the answer needs, as the exact text of every place that states it: one variant shown is enough
    # (the same figure in an English and a German article).
    gold_passages: Groups
    reference: str
    must_include: Groups
    must_not_include: tuple[str, ...]
    # Unanswerable items only: an answer that says the corpus lacks the fact (matching every group) counts as
    # handled as well as an abstention, e.g. "Azerbaijan gives no military death toll".
    gap_statement: Groups = ()
    tags: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


@dataclass(frozen=True)
class Attribution:
    claim: tuple[str, ...]  # variants of the figure or statement
    speaker: tuple[str, ...]  # who must be named with it
    not_speaker: tuple[str, ...] = ()  # who must not be named with it instead


@dataclass(frozen=True)
class Briefing:
    id: str
    topic: str
    language: str
    gold_sources: tuple[str, ...]
    must_include: Groups
    must_not_include: tuple[str, ...]
    attributions: tuple[Attribution, ...] = field(default=())


@dataclass(frozen=True)
class EvalSet:
    questions: tuple[Question, ...]
    briefings: tuple[Briefing, ...]
    subsets: dict[str, tuple[str, ...]]

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions] + [b.id for b in self.briefings]

    def select(self, subset: str | None = None, ids: list[str] | None = None, limit: int | None = None) -> EvalSet:
        """Named subset (from subsets.json), a kind, "questions", "briefings", or explicit ids; then the first N."""
        wanted: list[str] | None = None
        if subset:
            if subset in self.subsets:
                wanted = list(self.subsets[subset])
            elif subset in KINDS:
                wanted = [q.id for q in self.questions if q.kind == subset]
            elif subset in TAGS:
                wanted = [q.id for q in self.questions if subset in q.tags]
            elif subset in ("questions", "briefings"):
                wanted = [item.id for item in getattr(self, subset)]
            else:
                names = ", ".join([*self.subsets, *KINDS, *TAGS, "questions", "briefings"])
                raise EvalSetError(f"no subset {subset!r}; known: {names}")
        if ids:
            unknown = [i for i in ids if i not in self.ids]
            if unknown:
                raise EvalSetError(f"unknown item id(s): {', '.join(unknown)}")
            wanted = list(ids) if wanted is None else [i for i in wanted if i in ids]
        if limit is not None:
            if limit < 1:
                raise EvalSetError("--limit must be at least 1")
            wanted = (wanted if wanted is not None else self.ids)[:limit]
        if wanted is None:
            return self
        if not wanted:
            raise EvalSetError("the selection is empty: the subset and the ids have no item in common")
        chosen = set(wanted)
        return EvalSet(
            tuple(q for q in self.questions if q.id in chosen),
            tuple(b for b in self.briefings if b.id in chosen),
            self.subsets,
        )


def _groups(value, where: str) -> Groups:
    if not isinstance(value, list) or not all(
        isinstance(g, list) and g and all(isinstance(v, str) and v for v in g) for g in value
    ):
        raise EvalSetError(f'{where}: expected a list of non-empty lists of strings, e.g. [["5000", "5.000"]]')
    return tuple(tuple(g) for g in value)


def _passages(value, where: str) -> Groups:
    """Gold passages: each entry a passage, or a list of passages that state the same fact (alternatives)."""
    if not isinstance(value, list):
        raise EvalSetError(f"{where}: expected a list of passages (a passage, or a list of alternative passages)")
    return tuple(_groups([entry if isinstance(entry, list) else [entry]], where)[0] for entry in value)


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise EvalSetError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _records(path: Path) -> list[tuple[str, dict]]:
    if not path.is_file():
        raise EvalSetError(f"no eval file at {path}")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.parent.name}/{path.name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalSetError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise EvalSetError(f"{where}: expected one JSON object per line")
        records.append((where, record))
    return records


def _require(record: dict, keys: tuple[str, ...], optional: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in record]
    unknown = [k for k in record if k not in keys + optional]
    if missing or unknown:
        raise EvalSetError(f"{where}: missing {missing or 'nothing'}, unknown {unknown or 'nothing'}")
    if not isinstance(record["id"], str) or not record["id"]:
        raise EvalSetError(f"{where}: 'id' must be a non-empty string")
    if record["language"] not in LANGUAGES:
        raise EvalSetError(f"{where}: language must be one of {LANGUAGES}")


def _check_gold(where: str, sources: tuple[str, ...], passages: Groups, corpus: dict[str, str]) -> None:
    for source in sources:
        if source not in corpus:
            raise EvalSetError(f"{where}: gold source {source} is not in the corpus")
    for passage in (variant for group in passages for variant in group):
        if not any(passage in corpus[s] for s in sources):
            raise EvalSetError(f"{where}: gold passage {passage!r} is not an exact substring of its gold sources")


def read_corpus(folders: Sequence[Path]) -> dict[str, str]:
    """File name -> decoded text, decoded exactly as indexing does, so citation offsets can be checked."""
    corpus: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            raise EvalSetError(f"the eval corpus {folder} is missing")
        for path in sorted(folder.iterdir()):
            if path.is_file():
                if path.name in corpus:
                    raise EvalSetError(f"{path.name} is in more than one eval corpus folder; file names must be unique")
                corpus[path.name] = decode(path.read_bytes())[0]
    return corpus


def _item_files(evals_dir: Path, kind: str) -> list[Path]:
    folder = evals_dir / kind
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def load_evalset(evals_dir: Path, corpus: dict[str, str]) -> EvalSet:
    question_files = _item_files(evals_dir, "questions")
    if not question_files:
        raise EvalSetError(f"no question files in {evals_dir / 'questions'}")
    questions = []
    for where, r in (record for path in question_files for record in _records(path)):
        keys = (
            "id",
            "question",
            "language",
            "kind",
            "gold_sources",
            "gold_passages",
            "reference",
            "must_include",
            "must_not_include",
        )
        _require(r, keys, ("gap_statement", "tags"), where)
        if r["kind"] not in KINDS:
            raise EvalSetError(f"{where}: kind must be one of {KINDS}")
        tags = _strings(r.get("tags", []), f"{where} tags") if r.get("tags") else ()
        if set(tags) - set(TAGS):
            raise EvalSetError(f"{where}: unknown tag(s) {sorted(set(tags) - set(TAGS))}; known: {', '.join(TAGS)}")
        item = Question(
            id=r["id"],
            question=r["question"],
            language=r["language"],
            kind=r["kind"],
            gold_sources=_strings(r["gold_sources"], f"{where} gold_sources"),
            gold_passages=_passages(r["gold_passages"], f"{where} gold_passages"),
            reference=r["reference"],
            must_include=_groups(r["must_include"], f"{where} must_include"),
            must_not_include=_strings(r["must_not_include"], f"{where} must_not_include"),
            gap_statement=_groups(r.get("gap_statement", []), f"{where} gap_statement"),
            tags=tags,
        )
        if item.answerable and not (item.must_include and item.gold_sources):
            raise EvalSetError(f"{where}: an answerable item needs must_include and gold_sources")
        if item.gap_statement and item.answerable:
            raise EvalSetError(f"{where}: gap_statement is for unanswerable items only")
        _check_gold(where, item.gold_sources, item.gold_passages, corpus)
        questions.append(item)

    briefings = []
    for where, r in (record for path in _item_files(evals_dir, "briefings") for record in _records(path)):
        briefing_keys = ("id", "topic", "language", "gold_sources", "must_include", "must_not_include", "attributions")
        _require(r, briefing_keys, (), where)
        attributions = []
        for n, a in enumerate(r["attributions"]):
            if (
                not isinstance(a, dict)
                or set(a) - {"claim", "speaker", "not_speaker"}
                or not {"claim", "speaker"} <= set(a)
            ):
                raise EvalSetError(f"{where}: attribution {n} needs 'claim' and 'speaker' (and optional 'not_speaker')")
            attributions.append(
                Attribution(
                    _strings(a["claim"], f"{where} claim"),
                    _strings(a["speaker"], f"{where} speaker"),
                    _strings(a.get("not_speaker", []), f"{where} not_speaker"),
                )
            )
        briefing = Briefing(
            id=r["id"],
            topic=r["topic"],
            language=r["language"],
            gold_sources=_strings(r["gold_sources"], f"{where} gold_sources"),
            must_include=_groups(r["must_include"], f"{where} must_include"),
            must_not_include=_strings(r["must_not_include"], f"{where} must_not_include"),
            attributions=tuple(attributions),
        )
        _check_gold(where, briefing.gold_sources, (), corpus)
        briefings.append(briefing)

    ids = [q.id for q in questions] + [b.id for b in briefings]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise EvalSetError(f"duplicate item id(s): {', '.join(duplicates)}")

    subsets: dict[str, tuple[str, ...]] = {}
    subsets_path = evals_dir / "subsets.json"
    if subsets_path.exists():
        for name, members in json.loads(subsets_path.read_text(encoding="utf-8")).items():
            members = _strings(members, f"subsets.json {name}")
            unknown = [m for m in members if m not in ids]
            if unknown:
                raise EvalSetError(f"subsets.json {name}: unknown item id(s) {', '.join(unknown)}")
            subsets[name] = members
    return EvalSet(tuple(questions), tuple(briefings), subsets)
