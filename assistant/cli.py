"""Command line: `assistant index`, `ask`, `brief`, `eval`, `ui`, `serve`; `ask` and `brief` use a running server
when given one. Errors the user can fix exit with code 2 and one line."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from .errors import AssistantError
from .settings import Settings


def _progress(done: int, total: int, name: str) -> None:
    # One updating line on a terminal; one line per file in a log.
    if sys.stderr.isatty():
        print(f"\r[{done}/{total}] {name[:60]:<60}", end="" if done < total else "\n", file=sys.stderr, flush=True)
    else:
        print(f"[{done}/{total}] {name}", file=sys.stderr, flush=True)


def cmd_index(args, settings: Settings) -> int:
    from .api import Assistant

    assistant = Assistant(settings)
    report = assistant.index(Path(args.folder) if args.folder else None, rebuild=args.rebuild, progress=_progress)
    for skipped in report.skipped:
        print(f"skipped {skipped.path.name}: {skipped.reason}", file=sys.stderr)
    for source, lines in report.flagged.items():
        print(
            f"flagged {source}: {lines} line{'s' if lines > 1 else ''} addressing an AI left out of the index "
            "(the article stays; see the Library tab)",
            file=sys.stderr,
        )
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for source in report.removed_files:
        print(f"removed from index: {source}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_ask(args, settings: Settings) -> int:
    server = args.server or settings.server_url
    if server:
        from .client import ask

        data, dropped = ask(server, args.question)
    else:
        from dataclasses import asdict

        from .api import Assistant

        answer = Assistant(settings).ask(args.question)
        data, dropped = answer.to_json(), [asdict(d) for d in answer.dropped]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(textwrap.fill(data["answer"], width=100))
    if data["citations"]:
        print("\nSources:")
        for citation in data["citations"]:
            quote = " ".join(citation["quote"].split())
            dated = f", {citation['date']}" if citation.get("date") else ""
            print(f"[{citation['n']}] {citation['source']}{dated} (characters {citation['start']}-{citation['end']})")
            print(textwrap.indent(textwrap.fill(f"„{quote}“", width=96), "    "))
    for left_out in dropped:
        print(f"\n(left out, {left_out['reason']}: {left_out['text']})", file=sys.stderr)
    print(f"\n{data['model']} · {data['prompt_version']} · {data['timings']['total_s']:.1f} s", file=sys.stderr)
    return 0


def _warn_if_public(host: str) -> None:
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: serving on {host}: anyone who can reach this address can read the articles "
            "and use the models (there is no login)",
            file=sys.stderr,
        )


def cmd_ui(args, settings: Settings) -> int:
    from .api import Assistant
    from .ui.app import serve

    login = ui_login(settings)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        if login:
            print(f"serving on {args.host}: the app asks for the login in ASSISTANT_UI_LOGIN", file=sys.stderr)
        else:
            print(
                f"warning: serving on {args.host}: anyone who can reach this address can read the articles "
                "and use the models (there is no login: set ASSISTANT_UI_LOGIN=user:password to require one)",
                file=sys.stderr,
            )
    serve(Assistant(settings), args.host, args.port, preload=args.preload, login=login)
    return 0


def ui_login(settings: Settings) -> tuple[str, str] | None:
    """(user, password) from the setting, never from the command line (where `ps` would show it)."""
    if settings.ui_login is None:
        return None
    user, colon, password = settings.ui_login.get_secret_value().partition(":")
    if not (user and colon and password):
        raise AssistantError("ASSISTANT_UI_LOGIN must be user:password, both non-empty")
    return user, password


def cmd_serve(args, settings: Settings) -> int:
    from .api import Assistant
    from .serve import run

    _warn_if_public(args.host)
    print("Loading the language model, the embedder and the index…", file=sys.stderr, flush=True)
    run(Assistant(settings), args.host, args.port)
    return 0


def cmd_eval(args, settings: Settings) -> int:
    from .evals.report import summary_markdown
    from .evals.run import run_evals

    run = run_evals(
        settings,
        subset=args.subset,
        ids=args.ids,
        limit=args.limit,
        fresh=args.fresh,
        rescore=Path(args.rescore) if args.rescore else None,
        write_baseline=args.write_baseline,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(summary_markdown(run))
    print(f"report: {run.run_dir / 'report.md'} (per-item table, chart.png, report.json)")
    return 0 if run.ok else 1


def cmd_brief(args, settings: Settings) -> int:
    def progress(stage: str, fraction: float) -> None:
        if sys.stderr.isatty():
            print(f"\r{stage:<10} {fraction:4.0%}", end="" if fraction < 1 else "\n", file=sys.stderr, flush=True)

    if args.out and not Path(args.out).resolve().parent.is_dir():
        raise AssistantError(f"cannot write {args.out}: its folder does not exist")
    server = args.server or settings.server_url
    if server:
        from .client import brief

        data, markdown = brief(server, args.topic, args.lang, args.debug)
    else:
        from .api import Assistant

        briefing = Assistant(settings).brief(topic=args.topic, language=args.lang, progress=progress)
        data, markdown = briefing.to_json(), briefing.to_markdown(debug=args.debug)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n" if args.json else markdown
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(text, end="")
    stats = data["stats"]
    print(
        f"{stats['sentences']} sentences ({stats['by_model']} rewritten by the model, {stats['from_sources']} from the "
        f"sources, {stats['summaries']} summaries), {len(data['dropped'])} left out · {data['model']} · "
        f"{data['timings']['total_s']:.0f} s",
        file=sys.stderr,
    )
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
    ask.add_argument(
        "--server",
        metavar="URL",
        help="use a running `assistant serve` (default: ASSISTANT_SERVER_URL, else this process)",
    )
    ask.set_defaults(run=cmd_ask)

    brief = commands.add_parser("brief", help="a neutral briefing of the indexed articles, every sentence cited")
    brief.add_argument("--topic", help="only the articles about this topic (default: all indexed articles)")
    brief.add_argument("--lang", choices=["de", "en"], help="language of the briefing (default: that of the articles)")
    brief.add_argument("--out", metavar="FILE", help="write the briefing to FILE instead of printing it")
    brief.add_argument("--json", action="store_true", help="JSON with the same content instead of Markdown")
    brief.add_argument("--debug", action="store_true", help="also list what was left out, and why, marked")
    brief.add_argument(
        "--server",
        metavar="URL",
        help="use a running `assistant serve` (default: ASSISTANT_SERVER_URL, else this process)",
    )
    brief.set_defaults(run=cmd_brief)

    evals = commands.add_parser(
        "eval",
        help="run the eval set (evals/) and report; exit 1 on a failed gate or a regression against the baseline",
    )
    evals.add_argument(
        "--subset", help="a subset from evals/subsets.json (e.g. ci), a kind, 'questions' or 'briefings'"
    )
    evals.add_argument("--ids", nargs="+", metavar="ID", help="only these items")
    evals.add_argument("--limit", type=int, metavar="N", help="only the first N selected items")
    evals.add_argument("--rescore", metavar="RUN_DIR", help="score an earlier run's outputs again, running no model")
    evals.add_argument("--fresh", action="store_true", help="generate again instead of reusing cached outputs")
    evals.add_argument("--write-baseline", action="store_true", help="make this full run evals/baseline.json")
    evals.set_defaults(run=cmd_eval)

    ui = commands.add_parser("ui", help="start the chat app in the browser (models load on the first question)")
    ui.add_argument("--host", default="127.0.0.1", help="address to bind (default: only this machine)")
    ui.add_argument("--port", type=int, default=7860)
    ui.add_argument(
        "--preload", action="store_true", help="load the models before serving (else on the first question)"
    )
    ui.set_defaults(run=cmd_ui)

    serve = commands.add_parser(
        "serve", help="an HTTP API (OpenAI-compatible chat, ask and brief as JSON); models load at start"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: only this machine)")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)
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
