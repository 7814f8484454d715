"""Neutral briefings: extract (select.py, speakers.py, figures.py), then compose (compose.py, rewrite.py) into the
Briefing a reader gets (model.py, wording.py)."""

from .compose import BriefProgress, build_briefing, check_language
from .model import Briefing

__all__ = ["BriefProgress", "Briefing", "build_briefing", "check_language"]
