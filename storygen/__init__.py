"""storygen: an offline storybook generator for children."""

__version__ = "0.1.0"
