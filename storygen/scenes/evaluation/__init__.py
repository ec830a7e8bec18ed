"""Measuring the pictures: the gold layouts (layouts.py) with the picture checks of each layout
(picture_checks.py), the gold books' settings (setting.py), from text to picture through the NLP
stage (from_text.py), and the picture review sheet a reader fills in (review.py)."""
