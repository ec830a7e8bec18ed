"""WAV -> MP3 for the EPUB (audio/mpeg is an EPUB core media type; WAV is not), and the length
of an MP3 read from its frame headers (no decoder needed).

Encoding uses `lameenc` (PyPI wheel with LAME built in: no system library, no network). LAME is
deterministic, so equal samples give equal bytes. An MP3 decoder outputs ENCODER_DELAY samples
of padding before the first real one (LAME's 576 + the decoder's 529); we drop that many samples
from the start of the WAV before encoding, so the decoded audio lines up with the WAV's timeline
and the narrator's word timings can be used as they are. Narration starts with a silent lead-in
(0.25 s), so what is dropped is silence.
"""
from __future__ import annotations

import wave
from pathlib import Path

from .errors import BackendError, RecordError

ENCODER_DELAY = 576 + 529  # samples, at the output rate (= input rate: we never resample)
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
# kbps by bitrate index for layer III: MPEG-1, and MPEG-2/2.5
_KBPS_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_KBPS_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def read_wav(path: Path) -> tuple[bytes, int, int]:
    """(16-bit PCM frames, sample rate, channels) of a WAV the narrate stage wrote."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise RecordError(f"{path} is not 16-bit PCM; rerun `storygen narrate` to remake it")
            frames = w.readframes(w.getnframes())
            if len(frames) != w.getnframes() * 2 * w.getnchannels():  # cut short: not half a voice
                raise RecordError(f"{path} is truncated; rerun `storygen narrate` to remake it")
            return frames, w.getframerate(), w.getnchannels()
    except (wave.Error, EOFError, OSError) as exc:
        raise RecordError(f"{path} is not a readable WAV ({exc}); rerun `storygen narrate` to remake it") from None


def encode_mp3(pcm: bytes, sample_rate: int, channels: int, kbps: int = 48) -> bytes:
    """16-bit PCM -> constant-bitrate MP3 at the same rate, aligned to the PCM's timeline."""
    try:
        import lameenc
    except ImportError:
        raise BackendError("MP3 encoding needs lameenc: pip install lameenc==1.9.0") from None
    step = 2 * channels
    pcm = pcm[ENCODER_DELAY * step:] or b"\0" * step
    enc = lameenc.Encoder()
    enc.set_bit_rate(kbps)
    enc.set_in_sample_rate(sample_rate)
    enc.set_out_sample_rate(sample_rate)
    enc.set_channels(channels)
    enc.set_quality(2)  # 2 = high quality; speed is no concern for a few seconds of speech
    return bytes(enc.encode(pcm) + enc.flush())


def mp3_frames(data: bytes) -> list[tuple[int, int, int]]:
    """(offset, length, samples) of every MPEG audio layer III frame, by walking the headers."""
    frames, i = [], 0
    if data[:3] == b"ID3" and len(data) >= 10:  # skip an ID3v2 tag (lameenc writes none)
        i = 10 + ((data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | data[9] & 0x7F)
    while i + 4 <= len(data):
        b1, b2 = data[i + 1], data[i + 2]
        version, layer, rate_i, kbps_i = (b1 >> 3) & 3, (b1 >> 1) & 3, (b2 >> 2) & 3, b2 >> 4
        if data[i] != 0xFF or b1 & 0xE0 != 0xE0 or version == 1 or layer != 1 or rate_i == 3 \
                or kbps_i in (0, 15):
            raise RecordError(f"not an MP3 layer III stream at byte {i}")
        rate = _RATES[version][rate_i]
        kbps = (_KBPS_V1 if version == 3 else _KBPS_V2)[kbps_i]
        samples = 1152 if version == 3 else 576
        length = samples // 8 * kbps * 1000 // rate + ((b2 >> 1) & 1)
        frames.append((i, length, samples))
        i += length
    return frames


def mp3_info(data: bytes) -> tuple[int, int]:
    """(sample rate, samples a decoder outputs: the encoder delay and the last frame's padding included)."""
    frames = mp3_frames(data)
    if not frames:
        raise RecordError("empty MP3 stream")
    b1, b2 = data[frames[0][0] + 1], data[frames[0][0] + 2]
    return _RATES[(b1 >> 3) & 3][(b2 >> 2) & 3], sum(f[2] for f in frames)


def mp3_duration_s(data: bytes) -> float:
    """Seconds a decoder plays. An MP3 from encode_mp3 plays on its WAV's timeline, plus under
    two frames (52 ms at 22.05 kHz) of padding at the end."""
    rate, samples = mp3_info(data)
    return samples / rate


def wav_to_mp3(path: Path, kbps: int = 48) -> tuple[bytes, float]:
    """(MP3 bytes, WAV duration in seconds) of a narration WAV."""
    pcm, rate, channels = read_wav(path)
    return encode_mp3(pcm, rate, channels, kbps), len(pcm) / (2 * channels) / rate

