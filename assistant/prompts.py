"""Versioned prompt templates: <name>.toml holds name, version and Jinja2 system/user texts. They ship as package
data (the repository's top-level prompts/ folder, installed as `assistant.prompt_templates`); a settings folder may
replace them. versions.json there keeps the sha256 of each name@version, so an edited text without a version bump
fails the tests instead of being reported under its old version."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from .errors import AssistantError

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)
PACKAGE = "assistant.prompt_templates"


class Chat(list):
    """Chat messages with the name of the prompt and the variables they were rendered from, so that a recorded
    output or a test fake knows what was asked without parsing the wording."""

    def __init__(self, messages, prompt: str, variables: dict | None = None):
        super().__init__(messages)
        self.prompt = prompt
        self.variables = variables or {}


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str
    sha256: str  # of the file's text

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def system_message(self) -> dict[str, str]:
        return {"role": "system", "content": _ENV.from_string(self.system).render().strip()}

    def user_message(self, **variables) -> dict[str, str]:
        return {"role": "user", "content": _ENV.from_string(self.user).render(**variables).strip()}

    def render(self, **variables) -> Chat:
        return Chat([self.system_message(), self.user_message(**variables)], self.name, variables)


def _files(prompts_dir: Path | None):
    return resources.files(PACKAGE) if prompts_dir is None else prompts_dir


def load_prompt(name: str, prompts_dir: Path | None = None) -> Prompt:
    """The template `name` from prompts_dir, or from the packaged templates when it is None."""
    file = _files(prompts_dir) / f"{name}.toml"
    if not file.is_file():
        raise AssistantError(f"no prompt template {name}.toml in {prompts_dir or PACKAGE}")
    text = file.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    if data.get("name") != name:
        raise AssistantError(f"{file}: 'name' is {data.get('name')!r}, expected {name!r}")
    return Prompt(name, str(data["version"]), data["system"], data["user"], hashlib.sha256(text.encode()).hexdigest())


def prompt_names(prompts_dir: Path | None = None) -> list[str]:
    return sorted(f.name.removesuffix(".toml") for f in _files(prompts_dir).iterdir() if f.name.endswith(".toml"))
