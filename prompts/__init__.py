"""Versioned prompt templates, shipped inside the package as `assistant.prompt_templates` (see assistant/prompts.py)."""
