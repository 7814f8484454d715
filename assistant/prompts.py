"""Versioned prompt templates: prompts/<name>.toml holds name, version and Jinja2 system/user texts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import jinja2

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def system_message(self) -> dict[str, str]:
        return {"role": "system", "content": _ENV.from_string(self.system).render().strip()}

    def render(self, **variables) -> list[dict[str, str]]:
        return [
            {"role": "system", "content": _ENV.from_string(self.system).render(**variables).strip()},
            {"role": "user", "content": _ENV.from_string(self.user).render(**variables).strip()},
        ]


def load_prompt(prompts_dir: Path, name: str) -> Prompt:
    path = prompts_dir / f"{name}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if data.get("name") != name:
        raise ValueError(f"{path}: 'name' is {data.get('name')!r}, expected {name!r}")
    return Prompt(name=name, version=str(data["version"]), system=data["system"], user=data["user"])
