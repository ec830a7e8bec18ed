"""Audio stages: narration (TTS + word timings), mood, music (MIDI + synth) and sound effects.

stage.py holds the pipeline entry points (run_narrate, run_music, run_sfx); the other modules are
pure functions over records and numpy arrays, so they can be tested without a book folder.
"""
