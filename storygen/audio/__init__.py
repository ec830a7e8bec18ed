"""Audio stages: narration (TTS + word timings), mood, music (MIDI + synth), sound effects, mix.

stage.py holds the pipeline entry points (run_narrate, run_music, run_sfx, run_mix); the other
modules are pure functions over records and numpy arrays, testable without a book folder:
  narrate.py   a scene's narration (synthesize, narrate) and its pace (wpm); narrators.py: the
               hibari / piper / espeak backends; word_timing.py: approximate word timings
  hibari_voice.py  the storyteller engine (hibari-tts, bundled voice only); voices.py: the
               voices people choose by name (storyteller, joe), for --voice and the studio
  mood.py      valence and arousal (basic, lexicon + mood_lexicon.yaml); evaluate.py: gold set;
               lemmas.py: word stems for the mood lexicon and the sound-effect triggers
  music.py     the MUSIC registry (basic baseline); arrange.py + parts.py: the `arranged` backend
  library.py   the composed music library (library/music); theory.py: modes, chords, harmony
  melody.py    the Markov melody model; melody_train.py: `storygen library melodies` (music21)
  midi.py synth.py wav.py   MIDI bytes, soundfont rendering, WAV encoding
  sfx.py       sound effects from library/sfx/manifest.yaml; mix.py: the ducked scene mix
  config.py    configs/audio.yaml; cli.py: `library melodies`, `evaluate-mood`, `mix`
"""
