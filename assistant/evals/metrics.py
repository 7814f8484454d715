"""Each metric of an eval run with n and a 95% interval, the hard gates, and the comparison with the baseline."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Z95 = 1.959964
BOOTSTRAP_RESAMPLES = 2000


# --- metrics with intervals ------------------------------------------------------------------------------


def wilson(successes: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def bootstrap(values: Sequence[float], statistic: Callable[..., np.ndarray], seed: int = 0) -> tuple[float, float]:
    """Percentile interval of statistic(resamples, axis=1), e.g. np.mean; seeded, so a rerun reports the same."""
    if not values:
        return (math.nan, math.nan)
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    stats = statistic(rng.choice(data, size=(BOOTSTRAP_RESAMPLES, len(data)), replace=True), axis=1)
    return (float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5)))


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    kind: str  # "proportion" (units are booleans, Wilson), "mean" (bootstrap) or "seconds" (a quantile, bootstrap)
    higher_is_better: bool
    units: Callable[[list[dict]], list]
    quantile: float | None = None
    gated: bool = True  # compared with the baseline
    must_be: float | None = None  # a hard gate: exactly this value


def _questions(scores, answerable=None):
    return [
        s
        for s in scores
        if s["type"] == "question"
        and not s["empty"]
        and (answerable is None or (s["kind"] != "unanswerable") == answerable)
    ]


def _briefings(scores):
    return [s for s in scores if s["type"] == "briefing" and not s["empty"]]


def _retrieval(scores, key):
    return [s["retrieval"][key] for s in _questions(scores) if s["retrieval"] and s["retrieval"][key] is not None]


def _citation_units(items):
    return [
        ok
        for s in items
        for ok in [True] * (s["citations"]["total"] - len(s["citations"]["problems"]))
        + [False] * len(s["citations"]["problems"])
    ]


METRICS: tuple[Metric, ...] = (
    Metric("source_recall", "retrieval: gold-source recall@k", "mean", True, lambda s: _retrieval(s, "source_recall")),
    Metric(
        "passage_recall", "retrieval: gold-passage recall@k", "mean", True, lambda s: _retrieval(s, "passage_recall")
    ),
    Metric("mrr", "retrieval: MRR", "mean", True, lambda s: _retrieval(s, "rr")),
    Metric("ndcg", "retrieval: nDCG@k", "mean", True, lambda s: _retrieval(s, "ndcg")),
    Metric(
        "facts_in_prompt",
        "retrieval: every needed fact in the model's prompt",
        "proportion",
        True,
        lambda s: [not q["facts"]["missing"] for q in _questions(s, True) if q.get("facts")],
    ),
    Metric(
        "must_include",
        "answers: all key facts included",
        "proportion",
        True,
        lambda s: [not q["abstained"] and not q["must_include"]["missing"] for q in _questions(s, True)],
    ),
    Metric(
        "must_not_include",
        "answers: a wrong answer stated",
        "proportion",
        False,
        lambda s: [bool(q["must_not_hits"]) for q in _questions(s)],
    ),
    Metric(
        "citation_validity",
        "citations: valid (resolve, exact quote)",
        "proportion",
        True,
        lambda s: _citation_units(_questions(s)),
        must_be=1.0,
    ),
    Metric(
        "citation_support",
        "citations: cited sentence supported",
        "proportion",
        True,
        lambda s: [
            ok
            for q in _questions(s)
            for ok in [True] * q["support"]["supported"] + [False] * (q["support"]["cited"] - q["support"]["supported"])
        ],
    ),
    Metric(
        "number_precision",
        "answers: numbers found in cited passages",
        "proportion",
        True,
        lambda s: [
            ok
            for q in _questions(s)
            for ok in [True] * (q["numbers"]["total"] - len(q["numbers"]["missing"]))
            + [False] * len(q["numbers"]["missing"])
        ],
    ),
    Metric(
        "abstention_accuracy",
        "abstention: unanswerable handled",
        "proportion",
        True,
        lambda s: [q["abstention_ok"] for q in _questions(s, False)],
    ),
    Metric(
        "false_abstention",
        "abstention: answerable refused",
        "proportion",
        False,
        lambda s: [q["false_abstention"] for q in _questions(s, True)],
    ),
    Metric(
        "language_match",
        "language: answer in the question's",
        "proportion",
        True,
        lambda s: [q["language_ok"] for q in _questions(s)],
    ),
    Metric(
        "briefing_must_include",
        "briefings: required facts (per fact)",
        "proportion",
        True,
        lambda s: [
            ok
            for b in _briefings(s)
            for ok in [True] * (b["must_include"]["total"] - len(b["must_include"]["missing"]))
            + [False] * len(b["must_include"]["missing"])
        ],
    ),
    Metric(
        "briefing_attribution",
        "briefings: figures attributed right",
        "proportion",
        True,
        lambda s: [a["ok"] for b in _briefings(s) for a in b["attributions"]],
    ),
    Metric(
        "briefing_must_not_include",
        "briefings: a wrong fact stated",
        "proportion",
        False,
        lambda s: [bool(b["must_not_hits"]) for b in _briefings(s)],
    ),
    Metric(
        "briefing_citation_validity",
        "briefings: citations exact",
        "proportion",
        True,
        lambda s: _citation_units(_briefings(s)),
        must_be=1.0,
    ),
    Metric(
        "latency_p50",
        "latency p50 (s)",
        "seconds",
        False,
        lambda s: [q["latency_s"] for q in _questions(s)],
        quantile=0.5,
        gated=False,
    ),
    Metric(
        "latency_p95",
        "latency p95 (s)",
        "seconds",
        False,
        lambda s: [q["latency_s"] for q in _questions(s)],
        quantile=0.95,
        gated=False,
    ),
)


def aggregate(scores: list[dict], seed: int = 0) -> dict[str, dict]:
    """Every metric as {value, n, low, high}; value is None where no item measures it."""
    result: dict[str, dict[str, Any]] = {}
    for metric in METRICS:
        units = metric.units(scores)
        n = len(units)
        if n == 0:
            result[metric.name] = {"value": None, "n": 0, "low": None, "high": None}
            continue
        if metric.kind == "proportion":
            value, (low, high) = sum(units) / n, wilson(sum(units), n)
        elif metric.kind == "mean":
            value, (low, high) = float(np.mean(units)), bootstrap(units, np.mean, seed)
        else:
            q = (metric.quantile or 0.5) * 100
            value = float(np.percentile(units, q))
            low, high = bootstrap(units, lambda a, axis, q=q: np.percentile(a, q, axis=axis), seed)
        result[metric.name] = {"value": round(value, 4), "n": n, "low": round(low, 4), "high": round(high, 4)}
    empty = [s["id"] for s in scores if s["empty"]]
    result["empty_outputs"] = {"value": len(empty), "n": len(scores), "ids": empty}
    return result


# --- gates and the baseline ------------------------------------------------------------------------------

TOLERANCE = 0.05  # a gated metric may fall by this much (absolute), or by one item's worth where n is small


def tolerance(n: int) -> float:
    return max(TOLERANCE, 1.0 / n) if n else TOLERANCE


def hard_gates(metrics: dict[str, dict]) -> list[str]:
    failed = []
    for metric in METRICS:
        value = metrics[metric.name]["value"]
        if metric.must_be is not None and value is not None and value != metric.must_be:
            failed.append(f"{metric.name} is {value:.2%}, must be {metric.must_be:.0%}")
    if metrics["empty_outputs"]["value"]:
        failed.append(f"empty outputs: {', '.join(metrics['empty_outputs']['ids'])}")
    return failed


def compare(current: list[dict], baseline_items: dict[str, dict], seed: int = 0) -> dict:
    """Both runs scored on the items they share, so a subset run is held to the baseline's figures for the
    same items. A metric regresses when it is worse by more than its tolerance."""
    shared = [s for s in current if s["id"] in baseline_items]
    now = aggregate(shared, seed)
    before = aggregate([baseline_items[s["id"]] for s in shared], seed)
    rows, regressions = [], []
    for metric in METRICS:
        a, b = now[metric.name], before[metric.name]
        if a["value"] is None or b["value"] is None:
            continue
        delta = a["value"] - b["value"]
        worse = -delta if metric.higher_is_better else delta
        allowed = tolerance(a["n"])
        regressed = metric.gated and worse > allowed + 1e-9
        rows.append(
            {
                "metric": metric.name,
                "current": a["value"],
                "baseline": b["value"],
                "delta": round(delta, 4),
                "tolerance": round(allowed, 4),
                "regressed": regressed,
            }
        )
        if regressed:
            regressions.append(f"{metric.name} {a['value']:.3f} vs baseline {b['value']:.3f} (tolerance {allowed:.3f})")
    return {
        "items": len(shared),
        "rows": rows,
        "regressions": regressions,
        "not_in_baseline": [s["id"] for s in current if s["id"] not in baseline_items],
    }
