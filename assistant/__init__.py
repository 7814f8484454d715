"""Private, offline news-briefing assistant: grounded, cited answers over a local folder of articles."""

from .answer import Answer, Citation, Token
from .api import Assistant
from .errors import AssistantError
from .settings import Settings

__all__ = ["Answer", "Assistant", "AssistantError", "Citation", "Settings", "Token"]
