"""The command line's client for a running `assistant serve`: a one-shot `ask` or `brief` then costs one HTTP
request instead of loading both models (about 15 s). Standard library only, so the client starts fast."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .errors import AssistantError

# A briefing takes minutes on a busy 2-core machine, and requests wait for the ones before them.
TIMEOUT_S = 900


class ServerError(AssistantError):
    pass


def post(url: str, path: str, body: dict) -> dict:
    """The JSON reply; the server's one-line message for input it refuses (the CLI prints it as its own)."""
    request = urllib.request.Request(
        url.rstrip("/") + path,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        try:
            message = json.load(exc)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"the server at {url} answered HTTP {exc.code} {exc.reason}"
        raise ServerError(message) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServerError(
            f"cannot reach the assistant server at {url} ({reason}); start it with `assistant serve`, or drop "
            "--server and ASSISTANT_SERVER_URL to run in this process"
        ) from exc


def ask(url: str, question: str) -> tuple[dict, list[dict]]:
    """(what `ask --json` prints, the sentences the checks left out)."""
    data = post(url, "/v1/ask", {"question": question, "include_dropped": True})
    return data, data.pop("dropped")


def brief(url: str, topic: str | None, language: str | None, debug: bool) -> tuple[dict, str]:
    """(what `brief --json` prints, the Markdown)."""
    data = post(url, "/v1/brief", {"topic": topic, "language": language, "markdown": True, "debug": debug})
    return data, data.pop("markdown")
