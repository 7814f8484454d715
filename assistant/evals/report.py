"""An eval run's report: report.md (metrics with intervals against the baseline, then every item, failures
first), report.json (the same, machine-readable) and chart.png (the metrics next to the baseline's)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .metrics import METRICS

if TYPE_CHECKING:
    from .run import EvalRun


def _fmt(metric, value) -> str:
    if value is None:
        return "–"
    if metric.kind == "proportion":
        return f"{value:.1%}"
    if metric.kind == "seconds":
        return f"{value:.1f} s"
    return f"{value:.3f}"


def _cell(text: str, width: int) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def verdict(run: EvalRun) -> list[str]:
    lines = [f"**{'PASS' if run.ok else 'FAIL'}**"]
    lines += [f"- hard gate failed: {g}" for g in run.gates]
    if run.comparison:
        lines += [f"- regression: {r}" for r in run.comparison["regressions"]]
    return lines


def summary_markdown(run: EvalRun) -> str:
    meta = run.meta
    rows = {r["metric"]: r for r in (run.comparison or {}).get("rows", [])}
    prompts = ", ".join(f"{name}@{p['version']}" for name, p in meta["prompts"].items())
    lines = [
        f"# Eval run {run.run_dir.name}",
        "",
        *verdict(run),
        "",
        f"- model: `{meta['llm']['file']}` (sha256 {meta['llm']['sha256'][:12]}…), embedder `{meta['embedder']['folder']}`"
        f" (sha256 {meta['embedder']['sha256'][:12]}…), prompts {prompts}",
        f"- settings: {', '.join(f'{k}={v}' for k, v in meta['settings'].items())}; cache key `{meta['key']}`",
        f"- items: {meta['items']['questions']} questions, {meta['items']['briefings']} briefings; "
        f"{meta['generated']} generated, {meta['cached']} from the cache; {meta['minutes']} min"
        + (f"; rescored from `{meta['rescored_from']}`" if meta.get("rescored_from") else ""),
        f"- baseline: {meta['baseline'] or 'none'}"
        + (f", compared on the {run.comparison['items']} items both runs share" if run.comparison else ""),
        "",
        "| metric | value | 95% interval | n | baseline | Δ | |",
        "|---|---|---|---|---|---|---|",
    ]
    for metric in METRICS:
        m = run.metrics[metric.name]
        row = rows.get(metric.name)
        interval = f"{_fmt(metric, m['low'])} – {_fmt(metric, m['high'])}" if m["n"] else "–"
        flag = "regressed" if row and row["regressed"] else ("gate" if metric.must_be is not None else "")
        if metric.must_be is not None and m["value"] is not None and m["value"] != metric.must_be:
            flag = "GATE FAILED"
        baseline = _fmt(metric, row["baseline"]) if row else "–"
        delta = (f"{row['delta']:+.3f}" if metric.kind != "seconds" else f"{row['delta']:+.1f} s") if row else "–"
        lines.append(
            f"| {metric.label} | {_fmt(metric, m['value'])} | {interval} | {m['n']} | {baseline} | {delta} | {flag} |"
        )
    empty = run.metrics["empty_outputs"]
    lines.append(f"| empty outputs | {empty['value']} | | {empty['n']} | | | gate |")
    lines += [
        "",
        "Proportions: Wilson intervals; means and latency quantiles: seeded bootstrap. A gated metric regresses "
        "when it is worse than the baseline (on the same items) by more than max(0.05, 1/n); latency is "
        "reported, not gated, since it depends on the machine's load.",
    ]
    if run.skipped:
        lines += ["", "Skipped:", *[f"- {s}" for s in run.skipped]]
    failing = [s for s in run.scores if not s["passed"]]
    lines += ["", f"{len(failing)} of {len(run.scores)} items fail at least one check."]
    return "\n".join(lines) + "\n"


def items_markdown(run: EvalRun) -> str:
    lines = [
        "## Items, failures first",
        "",
        "| item | kind | lang | result | failures | latency | output |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in sorted(run.scores, key=lambda s: (s["passed"], s["type"], s["id"])):
        latency = f"{s['latency_s']:.1f} s" if s.get("latency_s") is not None else "–"
        output = s.get("answer") or ("(briefing)" if s["type"] == "briefing" else "")
        lines.append(
            f"| {s['id']} | {s['kind']} | {s['language']} | {'pass' if s['passed'] else '**FAIL**'} "
            f"| {_cell('; '.join(s['failures']), 220)} | {latency} | {_cell(output, 160)} |"
        )
    return "\n".join(lines) + "\n"


def write_chart(run: EvalRun, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    baseline = {r["metric"]: r["baseline"] for r in (run.comparison or {}).get("rows", [])}
    quality = [m for m in METRICS if m.kind != "seconds" and run.metrics[m.name]["value"] is not None]
    timing = [m for m in METRICS if m.kind == "seconds" and run.metrics[m.name]["value"] is not None]
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(12, 0.45 * max(len(quality), 4) + 1.5), gridspec_kw={"width_ratios": [3, 1]}
    )
    for axis, metrics, unit in (
        (left, quality, "share / score (higher is better unless marked ↓)"),
        (right, timing, "seconds"),
    ):
        y = list(range(len(metrics)))[::-1]
        values = [run.metrics[m.name]["value"] for m in metrics]
        errors = [
            [v - run.metrics[m.name]["low"] for m, v in zip(metrics, values)],
            [run.metrics[m.name]["high"] - v for m, v in zip(metrics, values)],
        ]
        axis.barh([i + 0.2 for i in y], values, height=0.4, xerr=errors, capsize=3, color="#4c72b0", label="this run")
        base = [baseline.get(m.name) for m in metrics]
        axis.barh(
            [i - 0.2 for i in y], [b or 0 for b in base], height=0.4, color="#bbbbbb", label="baseline (same items)"
        )
        axis.set_yticks(
            y,
            [f"{m.label}{'' if m.higher_is_better else ' ↓'} (n={run.metrics[m.name]['n']})" for m in metrics],
            fontsize=8,
        )
        axis.set_xlabel(unit, fontsize=8)
        if metrics is quality:
            axis.set_xlim(0, 1.05)
    left.legend(loc="lower right", fontsize=8)
    figure.suptitle(f"Eval run {run.run_dir.name} ({'PASS' if run.ok else 'FAIL'})", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _class_figures(scores: list[dict]) -> str:
    """n · passed · all key facts · wrong answer stated · refused (answerable) or handled (unanswerable)."""
    if not scores:
        return "–"
    n = len(scores)
    answerable = [s for s in scores if s.get("kind") != "unanswerable"]
    unanswerable = [s for s in scores if s.get("kind") == "unanswerable"]
    share = lambda hits, total: f"{hits}/{total}" if total else "–"  # noqa: E731
    facts = sum(1 for s in answerable if not s.get("abstained") and not (s.get("must_include") or {}).get("missing"))
    refused = sum(1 for s in answerable if s.get("abstained"))
    handled = sum(1 for s in unanswerable if s.get("abstention_ok"))
    return (
        f"{n} · {share(sum(s['passed'] for s in scores), n)} · {share(facts, len(answerable))} · "
        f"{share(sum(bool(s.get('must_not_hits')) for s in scores), n)} · "
        f"{share(refused, len(answerable))} refused, {share(handled, len(unanswerable))} handled"
    )


def classes_markdown(run: EvalRun, baseline: dict | None) -> str:
    """Each kind and each adversarial tag: this run against the baseline on the same items."""
    questions = [s for s in run.scores if s["type"] == "question" and not s["empty"]]
    before = (baseline or {}).get("items", {})
    classes = sorted({s["kind"] for s in questions}) + sorted({t for s in questions for t in s.get("tags", [])})
    lines = [
        "## By kind and failure class",
        "",
        "Each cell: n · passed · all key facts · wrong answer stated · refused / unanswerable handled.",
        "",
        "| class | this run | baseline, same items |",
        "|---|---|---|",
    ]
    for name in classes:
        mine = [s for s in questions if s["kind"] == name or name in s.get("tags", [])]
        theirs = [before[s["id"]] for s in mine if s["id"] in before and not before[s["id"]].get("empty")]
        lines.append(f"| {name} | {_class_figures(mine)} | {_class_figures(theirs)} |")
    return "\n".join(lines) + "\n"


def write_report(run: EvalRun, baseline: dict | None) -> None:
    (run.run_dir / "report.md").write_text(
        summary_markdown(run)
        + "\n![metrics](chart.png)\n\n"
        + classes_markdown(run, baseline)
        + "\n"
        + items_markdown(run),
        encoding="utf-8",
    )
    report = {
        "ok": run.ok,
        "meta": run.meta,
        "metrics": run.metrics,
        "gates": run.gates,
        "comparison": run.comparison,
        "skipped": run.skipped,
        "items": run.scores,
        "baseline_metrics": baseline["metrics"] if baseline else None,
    }
    (run.run_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    write_chart(run, run.run_dir / "chart.png")
