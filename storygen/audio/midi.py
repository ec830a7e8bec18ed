"""Note events -> Standard MIDI File bytes (deterministic), and a text dump for golden tests.

Times are integer ticks (TICKS_PER_BEAT per quarter note), so the same parts always give the same
bytes: there are no timestamps or float rounding in the file.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import mido

TICKS_PER_BEAT = 480
DRUM_CHANNEL = 9


@dataclass(frozen=True)
class Note:
    start: int  # ticks from the start of the piece
    duration: int  # ticks
    pitch: int  # MIDI note number 0-127
    velocity: int  # 1-127


@dataclass(frozen=True)
class Part:
    name: str
    channel: int
    program: int  # General MIDI program, 0-based (ignored on the drum channel)
    notes: tuple[Note, ...]
    volume: int = 100  # CC7
    pan: int = 64  # CC10: 0 left .. 127 right


def _clamp(value: int, lo: int = 0, hi: int = 127) -> int:
    return max(lo, min(hi, int(value)))


def _track(part: Part) -> mido.MidiTrack:
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=part.name, time=0))
    ch = part.channel
    if ch != DRUM_CHANNEL:
        track.append(mido.Message("program_change", channel=ch, program=_clamp(part.program), time=0))
    track.append(mido.Message("control_change", channel=ch, control=7, value=_clamp(part.volume), time=0))
    track.append(mido.Message("control_change", channel=ch, control=10, value=_clamp(part.pan), time=0))
    # (tick, order, pitch, message): note_off sorts before note_on at the same tick, so a
    # repeated pitch is released before it is struck again
    events = []
    for n in part.notes:
        if n.duration <= 0:
            continue
        pitch, vel = _clamp(n.pitch), _clamp(n.velocity, 1)
        events.append((n.start, 1, pitch, "note_on", vel))
        events.append((n.start + n.duration, 0, pitch, "note_off", 0))
    now = 0
    for tick, _, pitch, kind, vel in sorted(events):
        track.append(mido.Message(kind, channel=ch, note=pitch, velocity=vel, time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def build_midi(parts: list[Part] | tuple[Part, ...], tempo_bpm: float, key: str | None = None,
               title: str = "storygen", beats_per_bar: int = 4, end_tick: int | None = None) -> bytes:
    """Type-1 MIDI: a conductor track (tempo, metre, key) then one track per part.

    `end_tick` pads the conductor track so the file's length is whole bars even if the last
    notes end early (players use the end of the longest track as the end of the piece).
    """
    mid = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("track_name", name=title, time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=beats_per_bar, denominator=4,
                                      time=0))
    if key:
        conductor.append(mido.MetaMessage("key_signature", key=key, time=0))
    conductor.append(mido.MetaMessage("end_of_track", time=max(0, end_tick or 0)))
    mid.tracks.append(conductor)
    for part in parts:
        mid.tracks.append(_track(part))
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def read_midi(data: bytes) -> mido.MidiFile:
    return mido.MidiFile(file=io.BytesIO(data))


def dump_midi(data: bytes) -> str:
    """One line per message, tracks in order: stable text for golden tests and diffs."""
    mid = read_midi(data)
    lines = [f"type={mid.type} ticks_per_beat={mid.ticks_per_beat} tracks={len(mid.tracks)}"]
    for i, track in enumerate(mid.tracks):
        lines.append(f"track {i}")
        lines += [f"  {msg!s}" for msg in track]
    return "\n".join(lines) + "\n"


def timed_messages(data: bytes) -> list[tuple[float, mido.Message]]:
    """(seconds from start, message) for every channel message, tempo changes applied."""
    out, now = [], 0.0
    for msg in read_midi(data):  # iterating a MidiFile merges tracks and yields delta seconds
        now += msg.time
        if not msg.is_meta:
            out.append((now, msg))
    return out


def length_s(data: bytes) -> float:
    return float(read_midi(data).length)
