"""The word judge's training loop on a tiny randomly initialised BERT (seconds, no MiniLM)."""
import re

import numpy as np
import pytest

from storygen.coherence.disc import Disc, DiscConfig, _hidden, edit_examples, surprise_accuracy, train_disc
from storygen.coherence.train import to_text
from storygen.corpus.stories import load_stories

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
_WORD = re.compile(r"[A-Za-z']+|[^\sA-Za-z']")


class TinyEncoder:
    """hidden_states() like storygen.coherence.encoder.Encoder, on a 6-layer 16-dim random BERT
    with hashed word ids (offsets are character spans, as the real tokenizer gives)."""

    def __init__(self) -> None:
        torch.manual_seed(0)
        cfg = transformers.BertConfig(vocab_size=997, hidden_size=16, num_hidden_layers=6,
                                      num_attention_heads=2, intermediate_size=32)
        self.model = transformers.BertModel(cfg).eval()

    def hidden_states(self, batch, layer):
        spans = [[(m.start(), m.end()) for m in _WORD.finditer(t)][:60] for t in batch]
        n = max(map(len, spans)) + 2
        ids = torch.zeros(len(batch), n, dtype=torch.long)
        mask = torch.zeros(len(batch), n, dtype=torch.long)
        offsets = np.zeros((len(batch), n, 2), dtype=int)
        for r, (text, sp) in enumerate(zip(batch, spans)):
            words = [sum(map(ord, text[a:b].lower())) % 990 + 5 for a, b in sp]
            ids[r, :len(sp) + 2] = torch.tensor([1, *words, 2])
            mask[r, :len(sp) + 2] = 1
            offsets[r, 1:len(sp) + 1] = sp
        with torch.inference_mode():
            out = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        return out.hidden_states[layer], offsets, mask.sum(1).tolist()


def test_word_judge_keeps_its_best_val_epoch():
    stories = [to_text(s) for s in load_stories()[:40]]
    enc = TinyEncoder()
    cfg = DiscConfig(edits_per_story=3, epochs=5, batch_size=8, lr=3e-3, head_lr=3e-2)
    disc, info = train_disc(enc, stories[:28], stories[28:], cfg, seed=0, log=lambda _: None)
    hist = [h["val_pairs"] for h in info["history"]]
    assert len(hist) == 5 and info["examples"] > 28
    assert hist[-1] < max(hist)  # this run peaks early, so keeping the last epoch would be worse
    assert info["best_epoch"] == 1 + hist.index(max(hist))
    # the weights returned are the best epoch's: the same val figure comes out again
    val_rows = _hidden(enc, edit_examples(stories[28:], 2, "val", cfg.kinds, paired=True), cfg.first_layer)
    assert round(surprise_accuracy(disc, val_rows), 4) == max(hist)
    assert isinstance(disc, Disc) and not disc.head.training
