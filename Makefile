# The README's two commands: `make run` (set up, index the sample corpus, start the chat UI)
# and `make test` (set up, run every test). Both install whatever is missing first.
.PHONY: setup run test bench

setup:
	bash scripts/setup.sh

run: setup
	.venv/bin/assistant index
	.venv/bin/assistant ui --preload

test: setup
	.venv/bin/python -m pytest -ra

bench: setup
	.venv/bin/python bench/run_all.py
