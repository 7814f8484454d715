# The README's two commands: `make run` (set up, index the sample corpus, start the chat UI)
# and `make test` (set up, lint, type-check, run every test). Both install whatever is missing first.
# `make test-fast` needs no model files: the Python packages only, then the tests that use fakes (about a minute).
.PHONY: setup setup-packages run test test-fast lint bench

setup:
	bash scripts/setup.sh

setup-packages:
	bash scripts/setup.sh --packages-only

run: setup
	.venv/bin/assistant index
	.venv/bin/assistant ui --preload

lint: setup-packages
	.venv/bin/ruff check assistant tests bench
	.venv/bin/ruff format --check assistant tests bench
	.venv/bin/mypy

test: setup lint
	.venv/bin/python -m pytest -ra

test-fast: setup-packages
	.venv/bin/python -m pytest -ra -m "not e2e and not browser"

bench: setup
	.venv/bin/python bench/run_all.py
