"""Errors a person can act on. The command line (storygen/cli/app.py) turns any StorygenError into one line and exit code 2."""


class StorygenError(Exception):
    """Base class: the message must say what went wrong and what to do."""


class OptionError(StorygenError):
    """A pick that is not among the curated choices in configs/options.yaml."""


class ConfigError(StorygenError):
    """A YAML config that does not match its schema."""


class RecordError(StorygenError):
    """A JSON file on disk that is missing, corrupted or of the wrong kind."""


class ConsentError(StorygenError):
    """No parent/guardian consent on record for the profile."""


class BackendError(StorygenError):
    """An unknown backend name, or an optional backend that is not installed."""


class OutputError(StorygenError):
    """An output location that cannot be written."""


class SafetyError(StorygenError):
    """Input or output that the guardrails refuse."""
