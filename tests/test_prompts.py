"""Prompt templates: shipped with the package, rendered strictly, and never edited without a version bump."""

import json
from importlib import resources

import pytest

from assistant.errors import AssistantError
from assistant.prompts import PACKAGE, load_prompt, prompt_names


def test_every_prompt_text_is_recorded_under_its_version():
    recorded = json.loads((resources.files(PACKAGE) / "versions.json").read_text(encoding="utf-8"))
    for name in prompt_names():
        prompt = load_prompt(name)
        assert recorded.get(prompt.id) == prompt.sha256, (
            f"prompts/{name}.toml changed but is still version {prompt.version}: bump its version and add "
            f'"{name}@<new version>": "{prompt.sha256}" to prompts/versions.json'
        )


def test_packaged_prompts_are_found_without_a_folder():
    assert {"answer", "answer_check", "brief_shorten", "brief_translate"} <= set(prompt_names())


def test_rendering_fails_on_a_missing_variable_and_names_the_chat():
    prompt = load_prompt("answer")
    with pytest.raises(Exception, match="undefined"):
        prompt.render(question="Wer?")
    chat = prompt.render(passages=[], question="Wer?", language_name="German", parts=["Wer?"], yes_no=False)
    assert chat.prompt == "answer" and chat.variables["question"] == "Wer?"


def test_a_prompts_folder_from_the_settings_replaces_the_packaged_one(tmp_path):
    (tmp_path / "answer.toml").write_text('name = "answer"\nversion = "9"\nsystem = "S"\nuser = "U {{ q }}"\n')
    assert load_prompt("answer", tmp_path).version == "9"
    with pytest.raises(AssistantError, match="no prompt template"):
        load_prompt("answer_check", tmp_path)
