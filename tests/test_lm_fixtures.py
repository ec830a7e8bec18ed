"""Shared fixtures of the LM tests: a tiny byte-level BPE tokenizer, a tiny random Llama saved as
a model folder (what STORYGEN_BASE_MODEL points at), and a hand-made keyword corpus.

Everything is built in a few hundred milliseconds, so every LM code path is tested without the
real base model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

EOS = "<|im_end|>"

STORIES = [
    ("farm-001", "farm", "pig", "pink", "shy", "The Muddy Day", [
        "A shy pink pig lived in a red barn. She liked the mud by the pond.",
        "One day the pig lost her hat. She looked in the hay and under the cart.",
        "A goose saw the hat in the pond. The goose swam to get it.",
        "The pig said thank you. The goose and the pig laughed in the mud.",
        "Now the pig and the goose play by the pond every day. The hat stays on.",
    ]),
    ("farm-002", "farm", "cow", "brown", "kind", "The Lost Lamb", [
        "A kind brown cow lived in the meadow. She ate grass all day.",
        "A lamb cried by the fence. The cow walked over to see.",
        "The lamb was lost. The cow took the lamb to the barn.",
        "The sheep ran to the lamb. The cow smiled at them.",
        "Now the cow and the lamb are friends. They eat grass in the meadow.",
    ]),
    ("space-001", "space", "robot", "blue", "silly", "Moon Socks", [
        "A silly blue robot lived on the moon. He liked to dance.",
        "One day the robot found a sock. The sock was on a rock.",
        "The robot put the sock on his head. An alien laughed at him.",
        "The alien gave the robot a hat. The robot gave the alien the sock.",
        "Now the robot and the alien dance on the moon. The sock is a flag.",
    ]),
    ("space-002", "space", "kitten", "gold", "brave", "Star Milk", [
        "A brave gold kitten flew a rocket. She looked for star milk.",
        "The kitten landed on a comet. The comet was cold and white.",
        "A robot came out of a hole. The robot had a cup of milk.",
        "The kitten and the robot shared the milk. It was sweet.",
        "Now the kitten flies home with the robot. They sing in the rocket.",
    ]),
]


PLOTS = {"farm-001": "lost and found", "farm-002": "helping a friend", "space-001": "a new friend who is different",
         "space-002": "a journey"}
BEATS = ["the hero at home", "something goes missing", "a friend tries to help", "they work it out together",
         "a happy day at the end"]


def _sentences(text: str) -> list[str]:
    return [s.strip() + "." for s in text.split(".") if s.strip()]


def _keywords(sentence: str, hero: str) -> list[str]:
    stop = {"a", "the", "she", "he", "it", "in", "on", "to", "and", "of", "was", "is", "by", "her",
            "his", "at", "all", "for", "with", "they", "them", "are", "one", "day", "now", "an", "out"}
    words = [w.strip(".,!").lower() for w in sentence.split()]
    out = [hero] if hero in words else []
    out += [w for w in words if w not in stop and w != hero and w not in out]
    return out[:5]


def write_keyword_corpus(folder: Path, splits: dict[str, list[int]] | None = None) -> Path:
    """data/corpus/keywords-like files: {split}.jsonl and planner-{split}.jsonl."""
    splits = splits or {"train": [0, 1, 2], "val": [3], "test": [3]}
    folder.mkdir(parents=True, exist_ok=True)
    for split, idx in splits.items():
        stories, plans = [], []
        for i in idx:
            sid, theme, hero, color, adj, title, scenes = STORIES[i]
            kscenes = [[{"text": s, "keywords": _keywords(s, hero)} for s in _sentences(sc)] for sc in scenes]
            common = {"id": sid, "theme": theme, "hero": hero, "color": color, "adjective": adj}
            stories.append({"kind": "keyword_story", "schema_version": 1, **common, "split": split,
                            "title": title, "scenes": kscenes, "name": None, "plot": PLOTS[sid],
                            "beats": BEATS})
            plans.append({"kind": "planner_example", "schema_version": 1, **common,
                          "scenes": [[k for s in sc for k in s["keywords"]][:3] for sc in kscenes],
                          "keep_rate": 0.5, "max_per_scene": 6, "seed": 7})
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(s) + "\n" for s in stories))
        (folder / f"planner-{split}.jsonl").write_text("".join(json.dumps(p) + "\n" for p in plans))
    return folder


def build_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    text = [" ".join(s[6]) + f" {s[5]}" for s in STORIES]
    text += ["theme: farm | hero: pig | color: pink | adjective: shy\nplot: lost and found\n"
             "plan 1 setup: the hero at home | pig, barn\nplan 2 problem: a hat | hat\ntitle: The Day\n",
             "scene 1 setup: text\nscene 2 problem: more\nscene 3 attempt: x\nscene 4 turn: y\nscene 5 ending: z"]
    text += [" ".join(BEATS), " ".join(PLOTS.values())]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=420, special_tokens=[EOS, "<|im_start|>", "<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(text * 3, trainer)
    # bos/unk are unused by storygen but CTranslate2's converter wants them named
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, pad_token=EOS,
                                   bos_token="<|im_start|>", unk_token="<|endoftext|>")


def build_tiny_model(folder: Path, seed: int = 0) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tok = build_tokenizer()
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
                      tie_word_embeddings=True, eos_token_id=tok.eos_token_id, initializer_range=0.3,
                      pad_token_id=tok.pad_token_id, bos_token_id=None)
    torch.manual_seed(seed)
    LlamaForCausalLM(cfg).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_base_dir(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture
def tiny_base(tiny_base_dir, tmp_path, monkeypatch) -> Path:
    """The tiny model as the base model, with a private cache folder."""
    monkeypatch.setenv("STORYGEN_BASE_MODEL", str(tiny_base_dir))
    monkeypatch.setenv("STORYGEN_CACHE", str(tmp_path / "cache"))
    return tiny_base_dir


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    return write_keyword_corpus(tmp_path / "keywords")


def tiny_recipe(task: str, keywords: Path, tmp: Path, **changes):
    from dataclasses import replace

    from storygen.lm.recipe import LoraSpec, TrainRecipe

    recipe = TrainRecipe(task=task, seed=0, epochs=2, batch_size=2, micro_batch=1, lr=0.01,
                         warmup_steps=1, max_tokens=512, threads=1, save_every=1, log_every=1,
                         keywords_dir=str(keywords), out=str(tmp / "models" / task),
                         runs=str(tmp / "runs" / task), lora=LoraSpec(r=4, alpha=8, top_layers=1))
    return replace(recipe, **changes)


def tiny_decode(**changes):
    """Decode settings for the tiny models: the fp32 reference engine, short outputs, one thread."""
    from storygen.config import DecodeSettings

    fields = dict(engine="hf", max_new_tokens=40, plan_tokens=40, retries=1, retry_width=2, samples=2, threads=1)
    return DecodeSettings(**{**fields, **changes})


def test_tiny_tokenizer_round_trips_and_has_single_newline():
    tok = build_tokenizer()
    text = "theme: farm | hero: pig\nplan 1 setup: a pig | pig, hat\nscene 1 setup: The pig lost her hat.\n"
    assert tok.decode(tok.encode(text)) == text
    assert len(tok.encode("\n")) == 1
