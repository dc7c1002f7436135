"""A small linear classifier for Chinese sentences, the second layer after the rules.

It scores a sentence, together with the headings above it, for the broad
categories that legal annotators used in CAPP-130 (collection, sharing,
storage, security, rights, ...). The engine uses it only where no rule of the
category fired, and a finding it makes names the character n-grams that
weighed most, so it explains itself like a rule finding does.

The model is trained by ``bench/train_classifier.py`` on CAPP-130 (CC BY 4.0).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy

from .resources import resource_path

MODEL_NAME = "capp130-zh"
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def sentence_features(text: str) -> list[str]:
    """Character 1- to 3-grams of the sentence's Chinese, Latin and digit runs."""
    feats = []
    for run in _KEEP.findall(re.sub(r"\d", "0", text.lower())):
        for n in (1, 2, 3):
            feats.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return feats


def heading_features(section: str) -> list[str]:
    """Character pairs of the two innermost headings, marked as heading features."""
    titles = [t for t in section.split(" › ") if t][-2:]
    feats = []
    for title in titles:
        for run in _KEEP.findall(title.lower()):
            feats.extend("h:" + run[i:i + 2] for i in range(len(run) - 1))
    return feats


@dataclass(frozen=True)
class Category:
    name: str  # the CAPP-130 label, e.g. "存储方式"
    topics: tuple[str, ...]  # topics it may stand for; the first is the default


class Model:
    def __init__(self, meta: dict, weights: numpy.ndarray, bias: numpy.ndarray):
        self.categories = [Category(c["name"], tuple(c["topics"])) for c in meta["categories"]]
        self.index = {f: i for i, f in enumerate(meta["vocabulary"])}
        self.threshold = float(meta["threshold"])
        self.weights = weights.astype("float32")
        self.bias = bias.astype("float32")

    def scores(self, sentence: str, section: str) -> tuple[numpy.ndarray, list[tuple[str, int]]]:
        """Category probabilities, and the sentence features present in the model
        with their indexes (for explanations)."""
        sent = [(f, self.index[f]) for f in dict.fromkeys(sentence_features(sentence)) if f in self.index]
        head = [self.index[f] for f in dict.fromkeys(heading_features(section)) if f in self.index]
        rows = [i for _, i in sent] + head
        logits = self.bias + (self.weights[rows].sum(axis=0) if rows else 0)
        return 1 / (1 + numpy.exp(-logits)), sent

    def top_features(self, sent: list[tuple[str, int]], category: int, n: int = 3) -> list[str]:
        """The longest-first sentence n-grams that pushed most towards ``category``."""
        ranked = sorted(sent, key=lambda f: -float(self.weights[f[1], category]) * len(f[0]))
        return [f for f, i in ranked if self.weights[i, category] > 0][:n]


@lru_cache(maxsize=2)
def load_model(name: str = MODEL_NAME) -> Model | None:
    folder = resource_path("models")
    meta_path = folder / f"{name}.json"
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    arrays = numpy.load(folder / f"{name}.npz")
    return Model(meta, arrays["weights"], arrays["bias"])


def logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))
