"""Command line: `assistant index`, `assistant ask`, `assistant ui`. Errors the user can fix exit with code 2 and one line."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from .errors import AssistantError
from .settings import Settings


def _progress(done: int, total: int, name: str) -> None:
    print(f"\r[{done}/{total}] {name[:60]:<60}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def cmd_index(args, settings: Settings) -> int:
    from .api import Assistant

    assistant = Assistant(settings)
    report = assistant.index(Path(args.folder) if args.folder else None, rebuild=args.rebuild, progress=_progress)
    for skipped in report.skipped:
        print(f"skipped {skipped.path.name}: {skipped.reason}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for source in report.removed_files:
        print(f"removed from index: {source}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_ask(args, settings: Settings) -> int:
    from .api import Assistant

    answer = Assistant(settings).ask(args.question)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(textwrap.fill(answer.answer, width=100))
    if answer.citations:
        print("\nSources:")
        for citation in answer.citations:
            quote = " ".join(citation.quote.split())
            print(f"[{citation.n}] {citation.source} (characters {citation.start}-{citation.end})")
            print(textwrap.indent(textwrap.fill(f"„{quote}“", width=96), "    "))
    for dropped in answer.dropped:
        print(f"\n(left out, {dropped.reason}: {dropped.text})", file=sys.stderr)
    print(f"\n{answer.model} · {answer.prompt_version} · {answer.timings['total_s']:.1f} s", file=sys.stderr)
    return 0


def cmd_ui(args, settings: Settings) -> int:
    from .api import Assistant
    from .ui import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host}: anyone who can reach this address can read the articles "
              "and use the models (there is no login)", file=sys.stderr)
    serve(Assistant(settings), args.host, args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Offline news-briefing assistant.")
    commands = parser.add_subparsers(dest="command", required=True)

    index = commands.add_parser("index", help="index a folder of .txt/.md articles (default: the sample corpus)")
    index.add_argument("folder", nargs="?", help="folder of articles; the index mirrors it")
    index.add_argument("--rebuild", action="store_true", help="drop the index and build it anew")
    index.set_defaults(run=cmd_index)

    ask = commands.add_parser("ask", help="answer a question from the indexed articles, with sources")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.set_defaults(run=cmd_ask)

    ui = commands.add_parser("ui", help="start the chat app in the browser (models load on the first question)")
    ui.add_argument("--host", default="127.0.0.1", help="address to bind (default: only this machine)")
    ui.add_argument("--port", type=int, default=7860)
    ui.set_defaults(run=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, Settings())
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
