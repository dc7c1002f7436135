"""Train the Chinese sentence classifier shipped in resources/models/.

    python bench/train_classifier.py [--corpus ../shared/corpus] [--split dev]

Only CAPP-130 (CC BY 4.0) is used, and by default only its dev half (the split of
bench/accuracy.py), so that the test half stays held out for measuring. Each
sentence is featurised with reviewer.core.classifier (character n-grams plus the
headings above it, from our own segmentation) and a one-vs-rest logistic
regression is fitted with AdaGrad. Features seen in fewer than 3 sentences and
weights that stay near zero are dropped to keep the model small.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from accuracy import split_of  # noqa: E402

from reviewer.core.classifier import MODEL_NAME, heading_features, sentence_features  # noqa: E402
from reviewer.core.loaders import load  # noqa: E402
from reviewer.core.segment import segment  # noqa: E402

CATEGORIES = [
    ("数据收集/权限获取", ["pi_categories", "purposes_and_use"]),
    ("使用", ["purposes_and_use", "automated_decisions_marketing"]),
    ("共享、委托、转让、公开（披露）", ["sharing_third_parties", "entrusted_processing",
                                "transfer_merger", "public_disclosure"]),
    ("存储方式", ["retention", "cross_border"]),
    ("安全措施", ["security_measures", "incident_response"]),
    ("特殊人群", ["minors"]),
    ("数据、权限管理", ["individual_rights", "consent_withdrawal", "account_deletion",
                 "automated_decisions_marketing", "cookies_tracking"]),
    ("联系方式", ["processor_identity_contact", "complaint_channel"]),
    ("隐私政策的授权、修改与变更", ["policy_changes", "legal_basis_exceptions"]),
    ("停止运营", ["retention"]),
]
LABEL_TO_CATEGORY = {"数据收集": 0, "权限获取": 0, "使用": 1, "共享、委托、转让、公开（披露）": 2,
                     "存储方式": 3, "安全措施": 4, "特殊人群": 5, "数据、权限管理": 6, "联系方式": 7,
                     "隐私政策的授权、修改与变更": 8, "停止运营": 9}
MIN_COUNT = 3
EPOCHS = 5
RATE = 0.2
L2 = 1e-3
THRESHOLD = 0.8


def examples(corpus: Path, split: str):
    folder = corpus / "capp130"
    files = sorted(folder.glob("*.jsonl"))
    sides = split_of([f.stem for f in files])
    for jsonl in files:
        if split != "all" and sides[jsonl.stem] != split:
            continue
        records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
        document = load(folder / "texts" / f"{jsonl.stem}.txt")
        segments = segment(document)
        starts = [s.start for s in segments]
        for rec in records:
            i = max(0, min(range(len(starts)), key=lambda k: abs(starts[k] - rec["char_start"])))
            section = segments[i].section if segments else ""
            labels = {LABEL_TO_CATEGORY[lab] for lab in rec["orig_labels"] if lab in LABEL_TO_CATEGORY}
            yield sentence_features(rec["text"]) + heading_features(section), labels


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "models")
    args = ap.parse_args(argv)
    if not (args.corpus / "capp130").is_dir():
        print(f"no CAPP-130 corpus at {args.corpus}", file=sys.stderr)
        return 2

    data = list(examples(args.corpus, args.split))
    counts = Counter(f for feats, _ in data for f in set(feats))
    vocabulary = sorted(f for f, c in counts.items() if c >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    rows = [numpy.array(sorted({index[f] for f in feats if f in index}), dtype=numpy.int64) for feats, _ in data]
    targets = numpy.zeros((len(data), len(CATEGORIES)), dtype=numpy.float32)
    for n, (_, labels) in enumerate(data):
        targets[n, list(labels)] = 1
    print(f"{len(data)} sentences, {len(vocabulary)} features, positives per category:",
          targets.sum(axis=0).astype(int).tolist())

    weights = numpy.zeros((len(vocabulary), len(CATEGORIES)), dtype=numpy.float32)
    bias = numpy.zeros(len(CATEGORIES), dtype=numpy.float32)
    grad_sq = numpy.full_like(weights, 1e-6)
    bias_sq = numpy.full_like(bias, 1e-6)
    order = numpy.random.default_rng(0)
    for epoch in range(EPOCHS):
        loss = 0.0
        for n in order.permutation(len(data)):
            idx = rows[n]
            logits = bias + weights[idx].sum(axis=0)
            prob = 1 / (1 + numpy.exp(-logits))
            err = prob - targets[n]
            loss -= float(numpy.sum(targets[n] * numpy.log(prob + 1e-9) + (1 - targets[n]) * numpy.log(1 - prob + 1e-9)))
            grad = err[None, :] + L2 * weights[idx]
            grad_sq[idx] += grad ** 2
            weights[idx] -= RATE * grad / numpy.sqrt(grad_sq[idx])
            bias_sq += err ** 2
            bias -= RATE * err / numpy.sqrt(bias_sq)
        print(f"epoch {epoch + 1}: mean loss {loss / len(data):.4f}")

    keep = numpy.abs(weights).max(axis=1) >= 0.05
    vocabulary = [f for f, k in zip(vocabulary, keep) if k]
    weights = weights[keep]
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": MODEL_NAME,
        "trained_on": f"CAPP-130 (CC BY 4.0), {args.split} split of bench/accuracy.py, {len(data)} sentences",
        "threshold": THRESHOLD,
        "categories": [{"name": name, "topics": topics} for name, topics in CATEGORIES],
        "vocabulary": vocabulary,
    }
    (args.out / f"{MODEL_NAME}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    numpy.savez_compressed(args.out / f"{MODEL_NAME}.npz", weights=weights.astype(numpy.float16), bias=bias)
    print(f"kept {len(vocabulary)} features; wrote {args.out / MODEL_NAME}.json/.npz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
