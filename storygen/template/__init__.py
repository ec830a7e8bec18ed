"""The template story: the named baseline planner and writer, with no learned model.

grammar.py reads configs/baselines.yaml and configs/plots/ and fills a plot's scenes with the
picks and the theme's word banks; planner.py and writer.py are the `template` backends of the
planner and writer stages (storygen/backends.py). The learned planner and writer are in lm/.
"""
