"""Runs the benchmarks and writes bench/RESULTS.md with the machine, the commit and the command.

.venv/bin/python bench/run_all.py               (or: make bench) every benchmark
.venv/bin/python bench/run_all.py generation    only these; their sections in RESULTS.md are replaced
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import brief  # noqa: E402
import generation  # noqa: E402
import ingest  # noqa: E402
import memory  # noqa: E402
import retrieval  # noqa: E402
import serve  # noqa: E402

from _util import ROOT  # noqa: E402

BENCHMARKS = {
    "ingest": ingest.main,
    "retrieval": lambda: retrieval.main([10_000, 100_000]),
    # a million chunks take about half an hour to store; only the server, the deployment meant for that size
    "scale": lambda: retrieval.main([1_000_000], backends=("server",)),
    "generation": generation.main,
    "brief": brief.main,
    "brief_scale": brief.library_scale,
    "memory": memory.main,
    "serve": lambda: serve.main(4),
}
RESULTS = ROOT / "bench" / "RESULTS.md"
_SECTION = re.compile(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench -->\n", re.S)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory_kib = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
    return f"{cpu}, {os.cpu_count()} cores, {memory_kib / 2**20:.0f} GiB RAM, Python {platform.python_version()}"


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmark(s) {sorted(unknown)}; choose from {list(BENCHMARKS)}")
    sections = dict(_SECTION.findall(RESULTS.read_text(encoding="utf-8"))) if names and RESULTS.exists() else {}
    for name in names or list(BENCHMARKS):
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        sections[name] = BENCHMARKS[name]()
        print(sections[name], flush=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    header = (
        "# Benchmark results\n\n"
        f"- Date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} (latest sections: {', '.join(names or BENCHMARKS)})\n"
        f"- Machine: {machine()}\n"
        f"- Commit: {commit}{' (with uncommitted changes)' if dirty else ''}\n"
        f"- Command: `make bench` (= `.venv/bin/python bench/run_all.py`; `bench/run_all.py NAME...` reruns sections)\n\n"
        "Ratios compare against a baseline measured in the same run, since absolute times drift on shared machines.\n\n"
    )
    body = "".join(
        f"<!-- bench:{name} -->\n{sections[name]}<!-- /bench -->\n" for name in BENCHMARKS if name in sections
    )
    RESULTS.write_text(header + body, encoding="utf-8")
    print(f"bench: wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
