"""Errors the user can act on: entry points print their one-line message and exit with code 2."""


class AssistantError(Exception):
    """A problem with input, files or setup that the user can fix; the message says how."""


class IndexMissingError(AssistantError):
    pass


class IndexMismatchError(AssistantError):
    pass


class IndexUnreadableError(AssistantError):
    pass


class IndexLockedError(AssistantError):
    pass


class DiskFullError(AssistantError):
    pass


class ModelMissingError(AssistantError):
    pass


class BadQuestionError(AssistantError):
    pass


class BackendUnreachableError(AssistantError):
    """A configured server (the language model's or Chroma's) does not answer."""
