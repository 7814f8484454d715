"""`assistant eval`: run the eval set through the same API the CLI and UI use, cache the raw outputs under a key
of everything that shapes them, score them offline, write a report, and judge the run against the committed
baseline and the hard gates."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import AssistantError, IndexMismatchError
from ..indexing import IndexReport
from ..prompts import load_prompt, prompt_names
from ..settings import ROOT, Settings
from .checks import score_briefing, score_question
from .items import Briefing, EvalSet, Question, load_evalset, read_corpus
from .metrics import aggregate, compare, hard_gates
from .report import write_report

EVALS_DIR = ROOT / "evals"
# The eval set is written against the sample corpus and the development corpus (many outlets, dates and
# languages), whatever folder the user's own index mirrors.
EVAL_CORPORA = (ROOT / "articles", ROOT / "evals" / "corpus")
# Parts of the package that cannot change an output; any other change invalidates the cached outputs.
_NOT_OUTPUT_SHAPING = {"evals", "ui", "cli.py", "__main__.py"}

Progress = Callable[[str], None]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(path: Path, cache_file: Path) -> str:
    """sha256 of a file, or of a folder's files in order; each file's hash is remembered by path, size and
    mtime, so the 1.1 GB model is read once, not on every run."""
    cache = json.loads(cache_file.read_text(encoding="utf-8")) if cache_file.exists() else {}
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    if not files or not all(f.exists() for f in files):
        raise AssistantError(f"no model at {path}; run `bash scripts/setup.sh` or point the settings at a local model")
    entries = []
    for file in files:
        stat = file.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = cache.get(str(file.resolve()))
        if entry is None or entry["stamp"] != stamp:
            entry = cache[str(file.resolve())] = {"stamp": stamp, "sha256": _sha256_file(file)}
        entries.append((str(file.relative_to(path)) if path.is_dir() else file.name, entry["sha256"]))
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(cache, indent=1), encoding="utf-8")
    if not path.is_dir():
        return entries[0][1]
    return hashlib.sha256("".join(f"{name}:{sha}\n" for name, sha in entries).encode()).hexdigest()


def run_identity(settings: Settings, corpus: dict[str, str], hash_cache: Path) -> dict:
    """Everything that shapes an output; its hash names the cache folder."""
    prompts = {}
    for name in prompt_names(settings.prompts_dir):
        prompt = load_prompt(name, settings.prompts_dir)
        prompts[prompt.name] = {"version": prompt.version, "sha256": prompt.sha256[:16]}
    package = Path(__file__).parent.parent
    code = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        relative = module.relative_to(package)
        if relative.parts[0] not in _NOT_OUTPUT_SHAPING:
            code.update(str(relative).encode() + b"\0" + module.read_bytes())
    corpus_hash = hashlib.sha256("".join(f"{n}\0{t}\0" for n, t in sorted(corpus.items())).encode()).hexdigest()
    return {
        "llm": {"file": settings.llm_path.name, "sha256": content_hash(settings.llm_path, hash_cache)},
        "embedder": {"folder": settings.embedder_path.name, "sha256": content_hash(settings.embedder_path, hash_cache)},
        "prompts": prompts,
        # Every setting but the paths (the files behind them are hashed above): a new setting is keyed unasked.
        "settings": {k: v for k, v in settings.model_dump().items() if not isinstance(v, Path)},
        "corpus_sha256": corpus_hash,
        "code_sha256": code.hexdigest(),
    }


def mirror_corpus(corpus: dict[str, str], folder: Path) -> Path:
    """One folder holding exactly the eval corpus (the index mirrors one folder); unchanged files are left
    alone, so the incremental index has nothing to do on the next run."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if path.name not in corpus:
            path.unlink()
    for name, text in corpus.items():
        path, data = folder / name, text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    return folder


def identity_key(identity: dict) -> str:
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]


def _item_input(item: Question | Briefing) -> str:
    return item.question if isinstance(item, Question) else f"{item.topic}\0{item.language}"


def _cache_path(cache_dir: Path, item: Question | Briefing) -> Path:
    # The input's hash is in the name: an edited question never reuses the old question's output.
    return cache_dir / f"{item.id}-{hashlib.sha256(_item_input(item).encode()).hexdigest()[:10]}.json"


def index_eval_corpus(assistant) -> IndexReport:
    """Brings the eval's own index up to date; one built by an older chunker or embedder is rebuilt, not refused:
    it holds nothing but the eval corpus."""
    try:
        return assistant.index()
    except IndexMismatchError:
        return assistant.index(rebuild=True)


class _Generator:
    """Builds the Assistant (models, private index of the eval corpus) only when an item is not cached."""

    def __init__(self, settings: Settings, progress: Progress, assistant=None):
        self.settings = settings
        self.progress = progress
        self._assistant = assistant
        self._indexed = False

    def ready(self):
        """The Assistant, built and its eval index brought up to date on first use."""
        if self._assistant is None:
            from ..api import Assistant

            self._assistant = Assistant(self.settings)
        if not self._indexed:
            self.progress(f"eval index: {index_eval_corpus(self._assistant).summary()}")
            self._indexed = True
        return self._assistant

    def question(self, item: Question) -> dict:
        try:
            answer = self.ready().ask(item.question)
        except AssistantError as exc:
            return {"error": str(exc)}
        return {
            "answer": answer.to_json(),
            "raw": answer.raw,
            "dropped": [{"text": d.text, "reason": d.reason} for d in answer.dropped],
            "passages": [
                [{"source": loc.source, "start": loc.start, "end": loc.end} for loc in p.locations]
                for p in answer.passages
            ],
            "model": answer.model,
            "prompt_version": answer.prompt_version,
        }

    def briefing(self, item: Briefing) -> dict:
        try:
            briefing = self.ready().brief(topic=item.topic, language=item.language)
        except AssistantError as exc:
            return {"error": str(exc)}
        return {
            "briefing": {"markdown": briefing.to_markdown(), "json": briefing.to_json()},
            "seconds": briefing.timings["total_s"],
            "model": briefing.model,
            "prompt_version": briefing.prompt_version,
        }


@dataclass
class EvalRun:
    run_dir: Path
    meta: dict
    metrics: dict
    scores: list[dict]
    gates: list[str]
    comparison: dict | None
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.gates and not (self.comparison and self.comparison["regressions"])


def _new_run_dir(runs_dir: Path) -> Path:
    stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    run_dir, n = runs_dir / stamp, 1
    while run_dir.exists():
        n += 1
        run_dir = runs_dir / f"{stamp}-{n}"
    run_dir.mkdir(parents=True)
    return run_dir


def _read_outputs(run_dir: Path) -> tuple[dict, dict[str, dict]]:
    report, outputs = run_dir / "report.json", run_dir / "outputs.jsonl"
    if not report.is_file() or not outputs.is_file():
        raise AssistantError(f"{run_dir} is not an eval run folder (no report.json and outputs.jsonl)")
    meta = json.loads(report.read_text(encoding="utf-8"))["meta"]
    records = [json.loads(line) for line in outputs.read_text(encoding="utf-8").splitlines() if line.strip()]
    return meta, {r["id"]: r for r in records}


def run_evals(
    settings: Settings,
    *,
    subset: str | None = None,
    ids: list[str] | None = None,
    limit: int | None = None,
    fresh: bool = False,
    rescore: Path | None = None,
    write_baseline: bool = False,
    evals_dir: Path = EVALS_DIR,
    runs_dir: Path | None = None,
    corpus_dirs: Sequence[Path] = EVAL_CORPORA,
    progress: Progress = lambda line: None,
    assistant=None,
) -> EvalRun:
    """assistant: a ready Assistant over the eval corpus (tests pass one with fakes); by default one is built
    from the settings, with its own index of the eval corpus, once an item is not in the cache."""
    started = time.perf_counter()
    runs_dir = runs_dir or evals_dir / "runs"
    corpus = read_corpus(corpus_dirs)
    full = load_evalset(evals_dir, corpus)
    evalset = full.select(subset, ids, limit)
    selected = subset is not None or bool(ids) or limit is not None
    if write_baseline and selected:
        raise AssistantError("--write-baseline needs the whole set: no --subset, --ids or --limit")
    corpus_dir = mirror_corpus(corpus, runs_dir / ".corpus")
    settings = settings.model_copy(update={"corpus_dir": corpus_dir, "index_dir": runs_dir / ".index"})
    skipped: list[str] = []

    if rescore is not None:
        meta, outputs = _read_outputs(rescore)
        meta = {**meta, "rescored_from": str(rescore)}
        items: list[Question | Briefing] = [*evalset.questions, *evalset.briefings]
        for item in items:
            record = outputs.get(item.id)
            if record is None or record.get("input") != _item_input(item):
                skipped.append(f"{item.id}: {'not in that run' if record is None else 'item changed since that run'}")
                outputs.pop(item.id, None)
        records = [outputs[i] for i in evalset.ids if i in outputs]
    else:
        identity = run_identity(settings, corpus, runs_dir / ".hashes.json")
        key = identity_key(identity)
        meta = {"key": key, **identity}
        generator = _Generator(settings, progress, assistant)
        records = _generate(evalset, generator, runs_dir / ".cache" / key, fresh, key, skipped)

    by_id = {r["id"]: r for r in records}
    k = meta["settings"]["top_k"]
    scores = [score_question(q, by_id[q.id], corpus, k) for q in evalset.questions if q.id in by_id]
    scores += [score_briefing(b, by_id[b.id], corpus) for b in evalset.briefings if b.id in by_id]
    metrics = aggregate(scores)
    gates = hard_gates(metrics)

    baseline_path = evals_dir / "baseline.json"
    baseline = (
        json.loads(baseline_path.read_text(encoding="utf-8")) if baseline_path.exists() and not write_baseline else None
    )
    comparison = compare(scores, baseline["items"]) if baseline else None

    meta.update(
        date=datetime.now().isoformat(timespec="seconds"),
        items={"questions": len(evalset.questions), "briefings": len(evalset.briefings), "scored": len(scores)},
        selection={"subset": subset, "ids": ids, "limit": limit},
        generated=sum(1 for r in records if not r.get("cached")),
        cached=sum(1 for r in records if r.get("cached")),
        # A rescore keeps the minutes the outputs took to generate: those are what a full run costs.
        minutes=meta["minutes"] if rescore else round((time.perf_counter() - started) / 60, 2),
        baseline=baseline["meta"]["date"] if baseline else None,
    )
    run_dir = _new_run_dir(runs_dir)
    with (run_dir / "outputs.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    run = EvalRun(run_dir, meta, metrics, scores, gates, comparison, skipped)
    write_report(run, baseline)
    if write_baseline:
        if gates or skipped:
            why = "; ".join(gates + skipped)
            raise AssistantError(f"not writing a baseline from a run that fails a gate or skips an item: {why}")
        baseline_path.write_text(
            json.dumps(
                {"meta": meta, "metrics": metrics, "items": {s["id"]: s for s in scores}}, ensure_ascii=False, indent=1
            )
            + "\n",
            encoding="utf-8",
        )
    return run


def _generate(
    evalset: EvalSet,
    generator: _Generator,
    cache_dir: Path,
    fresh: bool,
    key: str,
    skipped: list[str],
) -> list[dict]:
    if fresh and cache_dir.exists():
        shutil.rmtree(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    items: list[Question | Briefing] = [*evalset.questions, *evalset.briefings]
    records = []
    for number, item in enumerate(items, 1):
        path = _cache_path(cache_dir, item)
        if path.exists():
            record = {**json.loads(path.read_text(encoding="utf-8")), "cached": True}
        else:
            generator.ready()  # loading and indexing are not the item's time
            started = time.perf_counter()
            produced = generator.question(item) if isinstance(item, Question) else generator.briefing(item)
            record = {
                "id": item.id,
                "input": _item_input(item),
                "key": key,
                **produced,
                "created": datetime.now().isoformat(timespec="seconds"),
            }
            if "error" not in record:
                # Write only finished outputs: an interrupted run resumes where it stopped.
                path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            record["cached"] = False
            record["wall_s"] = round(time.perf_counter() - started, 2)
        generator.progress(
            f"[{number}/{len(items)}] {item.id}: " + ("cached" if record["cached"] else f"{record['wall_s']} s")
        )
        records.append(record)
    return records
