"""Peak memory (RSS) of each command as a user runs it, one fresh process each.

.venv/bin/python bench/memory.py
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import ROOT, run_measured, table  # noqa: E402

ASSISTANT = str(ROOT / ".venv/bin/assistant")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ui_peak(env: dict, timeout: float = 600) -> tuple[float, float]:
    """(seconds until the UI serves with both models loaded, peak RSS MiB)."""
    port = free_port()
    process = subprocess.Popen(
        [ASSISTANT, "ui", "--preload", "--port", str(port)],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    started = time.perf_counter()
    try:
        for line in process.stdout:
            if re.search(rf"127\.0\.0\.1:{port}", line) or time.perf_counter() - started > timeout:
                break
        ready = time.perf_counter() - started  # --preload: both models are loaded before the URL is printed
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak_kib = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
        return ready, peak_kib / 1024
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> str:
    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = {"ASSISTANT_INDEX_DIR": str(workdir / "index"), "ASSISTANT_MAX_ANSWER_TOKENS": "64"}
    try:
        rows = []
        wall, rss, _ = run_measured([ASSISTANT, "index"], env=env)
        rows.append(["assistant index (sample corpus, fresh index)", wall, rss])
        wall, rss, _ = run_measured([ASSISTANT, "ask", "Wen sieht Armenien als seine Schutzmacht an?"], env=env)
        rows.append(["assistant ask (one question, 64 new tokens)", wall, rss])
        help_text = subprocess.run([ASSISTANT, "--help"], capture_output=True, text=True).stdout
        if re.search(r"\bbrief\b", help_text):
            wall, rss, _ = run_measured([ASSISTANT, "brief"], env=env)
            rows.append(["assistant brief (sample corpus)", wall, rss])
        if re.search(r"\bui\b", help_text):
            ready, rss = ui_peak(env)
            rows.append(["assistant ui (started, models loaded)", ready, rss])
        return table("Peak memory, one fresh process per command", ["command", "wall s", "peak RSS MiB"], rows)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    print(main())
