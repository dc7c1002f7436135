"""Train the sentence classifiers shipped in resources/models/.

    python bench/train_classifier.py [--lang zh|en] [--corpus ../shared/corpus] [--split dev] [--folds 5]

Only CAPP-130 (CC BY 4.0) is used: its Chinese sentences for ``zh``, its English
machine translation for ``en``; by default only the dev half (the split of
bench/accuracy.py), so that the test half stays held out for measuring.

1. Every policy is run through the engine without the classifier layer, which
   gives the sentences the model will see (our own segmentation, with their
   section paths), the rule findings and the topics each section's headings name.
   A sentence's categories are those of the corpus records it overlaps (the
   matching rule of bench/accuracy.py).
2. Features come from reviewer.core.classifier (binary character n-grams for
   Chinese, word unigrams and bigrams for English; heading features kept
   apart). A one-vs-rest logistic regression with an L2 penalty is fitted by
   full-batch Adam.
3. Thresholds: the policies are split into folds by template family (the grouping
   of bench/accuracy.py), a model is fitted on the other folds and each fold is
   scored out of fold. With those out-of-fold probabilities the classifier layer
   of the engine is replayed and, per category, two thresholds are chosen by
   coordinate ascent on the bench's macro-F1: one for sentences in a section
   about the category, one (higher, or never) for sentences anywhere.
4. The final model is fitted on all selected policies; features seen in fewer than
   MIN_COUNT sentences and weights that stay near zero are dropped.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import accuracy as acc  # noqa: E402

from reviewer.core import engine  # noqa: E402
from reviewer.core.classifier import MIN_PROBABILITY, MODEL_NAMES, Model, distinct, extract  # noqa: E402
from reviewer.core.loaders import load  # noqa: E402
from reviewer.core.rules import load_ruleset  # noqa: E402

# (Chinese name, English name as in CAPP-130's label explanations, topics)
CATEGORIES = [
    # Sentences that no rule placed in a "how we collect and use" section are more
    # often about what a function is for than lists of data: purposes first.
    ("数据收集/权限获取", "First Party Collection and Permission Acquisition",
     ["purposes_and_use", "pi_categories"]),
    ("使用", "Usage", ["purposes_and_use", "automated_decisions_marketing"]),
    ("共享、委托、转让、公开（披露）", "Third Party Sharing and Disclosure",
     ["sharing_third_parties", "entrusted_processing", "transfer_merger", "public_disclosure"]),
    ("存储方式", "Data Retention", ["retention", "cross_border"]),
    ("安全措施", "Data Security", ["security_measures", "incident_response"]),
    ("特殊人群", "Specific Audiences", ["minors"]),
    ("数据、权限管理", "Edit and Control", ["individual_rights", "consent_withdrawal", "account_deletion",
                                     "automated_decisions_marketing", "cookies_tracking"]),
    ("联系方式", "Contact Information", ["processor_identity_contact", "complaint_channel"]),
    ("隐私政策的授权、修改与变更", "Policy Change", ["policy_changes", "legal_basis_exceptions"]),
    ("停止运营", "Cessation of Operations", ["retention"]),
]
SOURCE = {"zh": "capp130", "en": "capp130_en_mt"}  # corpus folder of each language
EXTRACTOR = {"zh": "chars", "en": "words"}  # feature extractor of each language
FEATURES = {
    "zh": "binary character 1-3-grams of the sentence; character pairs of the two "
          "innermost headings (h:)",
    "en": "binary word unigrams and bigrams of the sentence (lower case, digits as 0, "
          "hashed to 48 bits); words of the two innermost headings (h:)",
}
LABEL_TO_CATEGORY = {"数据收集": 0, "权限获取": 0, "使用": 1, "共享、委托、转让、公开（披露）": 2,
                     "存储方式": 3, "安全措施": 4, "特殊人群": 5, "数据、权限管理": 6, "联系方式": 7,
                     "隐私政策的授权、修改与变更": 8, "停止运营": 9}
MIN_COUNT = 2
ITERATIONS = 150
RATE = 0.05
L2 = 1e-4  # per sentence
KEEP_WEIGHT = 0.02
GRID = [t for t in (round(0.05 * k, 2) for k in range(2, 20)) if t >= MIN_PROBABILITY]  # .. 0.95
NEVER = 2.0  # a threshold no probability reaches
# Thresholds for labelling without section context. The English model learns from
# machine-translated Chinese policies; on native English ones (OPP-115 dev) its
# guesses without section context were mostly wrong, so it always needs the context.
FREE_GRIDS = {"zh": [0.8, 0.85, 0.9, 0.95, 0.98, NEVER], "en": [NEVER]}


# ---------------------------------------------------------------- data

class Captured:
    """One policy as the engine sees it before the classifier layer."""

    def __init__(self, policy, segments, text, langs, before, context, heading_args, lang):
        self.policy, self.segments, self.text, self.langs = policy, segments, text, langs
        self.before, self.context, self.heading_args = before, context, heading_args
        self.rows = engine.classified_rows(segments, langs, lang)
        self.sentences = [text[segments[i].start:segments[i].end] for i in self.rows]
        self.sections = [segments[i].section for i in self.rows]
        spans = [(segments[i].start, segments[i].end, n) for n, i in enumerate(self.rows)]
        self.labels = [set() for _ in self.rows]
        for rec, matched in zip(policy.records, acc.assign(spans, policy.records)):
            cats = {LABEL_TO_CATEGORY[lab] for lab in rec["orig_labels"] if lab in LABEL_TO_CATEGORY}
            for n in matched:
                self.labels[n] |= cats


def source_of(lang: str):
    return next(s for s in acc.SOURCES if s.key == SOURCE[lang])


def capture(corpus: Path, split: str, lang: str) -> tuple[list[Captured], list]:
    policies = acc.load_source(corpus, source_of(lang))
    # The English translations follow the split of their Chinese originals.
    sides = acc.split_of([p.base for p in acc.load_source(corpus, source_of("zh"))])
    chosen = [p for p in policies if split == "all" or sides[p.base] == split]
    ruleset = load_ruleset()
    seen: dict = {}

    def model_layer(sentences, by_segment, section_topics):
        seen["model"] = (sentences.segments, sentences.text, sentences.langs,
                         {k: dict(v) for k, v in by_segment.items()}, section_topics)

    def heading_layer(segments, text, detectors, langs, by_segment, ruleset):
        seen["heading"] = (detectors, ruleset)

    saved = engine._add_model_findings, engine._add_heading_findings
    engine._add_model_findings, engine._add_heading_findings = model_layer, heading_layer
    try:
        out = []
        for policy in chosen:
            engine.analyze(load(policy.path), ruleset)
            segments, text, langs, before, context = seen["model"]
            out.append(Captured(policy, segments, text, langs, before, context, seen["heading"], lang))
    finally:
        engine._add_model_findings, engine._add_heading_findings = saved
    return out, policies


# ---------------------------------------------------------------- model

class Design:
    """Sparse binary design matrix of a set of captured policies."""

    def __init__(self, captured: list[Captured], lang: str):
        sentences = [s for c in captured for s in c.sentences]
        sections = [s for c in captured for s in c.sections]
        feats = distinct(extract(sentences, sections, EXTRACTOR[lang]))  # binary features
        self.n = len(sentences)
        self.rows, self.codes = feats.rows, feats.codes
        self.targets = numpy.zeros((self.n, len(CATEGORIES)), dtype=numpy.float32)
        n = 0
        for c in captured:
            for labels in c.labels:
                self.targets[n, sorted(labels)] = 1
                n += 1


def fit(design: Design, min_count: int = MIN_COUNT, l2: float = L2,
        iterations: int = ITERATIONS) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(codes, weights, bias) of a logistic regression fitted on ``design``."""
    codes, counts = numpy.unique(design.codes, return_counts=True)
    vocab = codes[counts >= min_count]
    col = numpy.searchsorted(vocab, design.codes)
    col = numpy.minimum(col, len(vocab) - 1)
    known = vocab[col] == design.codes
    rows, cols = design.rows[known], col[known]
    n, v, k = design.n, len(vocab), design.targets.shape[1]
    y = design.targets
    # Entries sorted by row (forward pass) and by column (gradient), summed with reduceat.
    by_col = numpy.argsort(cols, kind="stable")
    cols_c, rows_c = cols[by_col], rows[by_col]
    row_starts = numpy.flatnonzero(numpy.r_[True, rows[1:] != rows[:-1]])
    row_ids = rows[row_starts]
    col_starts = numpy.flatnonzero(numpy.r_[True, cols_c[1:] != cols_c[:-1]])
    col_ids = cols_c[col_starts]
    prior = (y.sum(axis=0) + 1) / (n + 2)
    bias = numpy.log(prior / (1 - prior)).astype(numpy.float32)
    weights = numpy.zeros((v, k), dtype=numpy.float32)
    m_w, s_w = numpy.zeros_like(weights), numpy.zeros_like(weights)
    m_b, s_b = numpy.zeros_like(bias), numpy.zeros_like(bias)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, iterations + 1):
        logits = numpy.zeros((n, k), dtype=numpy.float32)
        logits[row_ids] = numpy.add.reduceat(weights[cols], row_starts, axis=0)
        logits += bias
        prob = 1 / (1 + numpy.exp(-numpy.clip(logits, -30, 30)))
        err = (prob - y) / n
        grad_w = l2 * weights
        grad_w[col_ids] += numpy.add.reduceat(err[rows_c], col_starts, axis=0)
        grad_b = err.sum(axis=0)
        for param, grad, m, s in ((weights, grad_w, m_w, s_w), (bias, grad_b, m_b, s_b)):
            m *= beta1
            m += (1 - beta1) * grad
            s *= beta2
            s += (1 - beta2) * grad * grad
            param -= RATE * (m / (1 - beta1 ** t)) / (numpy.sqrt(s / (1 - beta2 ** t)) + eps)
    keep = numpy.abs(weights).max(axis=1) >= KEEP_WEIGHT
    return vocab[keep], weights[keep].astype(numpy.float32), bias.astype(numpy.float32)


def category_meta(lang: str, thresholds=None, free=None) -> list[dict]:
    return [{"name": zh_name if lang == "zh" else en_name, "topics": topics,
             "threshold": thresholds[i] if thresholds else 0.8,
             "free_threshold": free[i] if free else NEVER}
            for i, (zh_name, en_name, topics) in enumerate(CATEGORIES)]


def make_model(codes, weights, bias, lang: str) -> Model:
    return Model({"categories": category_meta(lang), "extractor": EXTRACTOR[lang]}, codes, weights, bias)


# ---------------------------------------------------------------- thresholds

def replay(captured: list[Captured], probs: list[numpy.ndarray], thresholds, free, policies,
           lang: str) -> float:
    """Bench macro-F1 of the engine with the classifier layer fed ``probs``."""
    scored = acc.Scored(source_of(lang), group_names=acc.label_groups(policies))
    for cap, p in zip(captured, probs):
        by_segment = defaultdict(dict, {k: dict(v) for k, v in cap.before.items()})
        for n, i in enumerate(cap.rows):
            seg, context = cap.segments[i], cap.context[i]
            found = by_segment[seg.id]
            for c, (_, _, topics) in enumerate(CATEGORIES):
                if p[n, c] < thresholds[c] or any(t in found for t in topics):
                    continue
                topic = next((t for t in topics if t in context), None)
                if topic is None:
                    if p[n, c] < free[c]:
                        continue
                    topic = topics[0]
                found[topic] = _Stub(seg.start, seg.end, topic)
        engine._add_heading_findings(cap.segments, cap.text, cap.heading_args[0], cap.langs,
                                     by_segment, cap.heading_args[1])
        findings = [(f.start, f.end, f.topic) for seg in cap.segments
                    for _, f in sorted(by_segment.get(seg.id, {}).items())]
        acc.score_policy(scored, cap.policy, acc.Run(cap.text, findings, 0, 0), None)
    return acc.summarize(scored)["macro_f1"]


class _Stub:
    def __init__(self, start, end, topic):
        self.start, self.end, self.topic = start, end, topic


def folds_of(captured: list[Captured], k: int) -> list[int]:
    return folds_by_family([cap.policy.pid for cap in captured], [len(cap.rows) for cap in captured], k)


def folds_by_family(pids: list[str], sizes: list[int], k: int) -> list[int]:
    """Fold of each policy: template families kept together, balanced by sentence count."""
    size = Counter()
    for pid, n in zip(pids, sizes):
        size[acc.family(pid)] += n
    load_of, fold_of = [0] * k, {}
    for fam, n in sorted(size.items(), key=lambda kv: (-kv[1], kv[0])):
        f = min(range(k), key=lambda j: load_of[j])
        fold_of[fam] = f
        load_of[f] += n
    return [fold_of[acc.family(pid)] for pid in pids]


def out_of_fold(captured: list[Captured], k: int, lang: str, **fit_args) -> list[numpy.ndarray]:
    folds = folds_of(captured, k)
    probs: list = [None] * len(captured)
    for f in range(k):
        train = [c for c, g in zip(captured, folds) if g != f]
        model = make_model(*fit(Design(train, lang), **fit_args), lang)
        for i, (cap, g) in enumerate(zip(captured, folds)):
            if g == f:
                probs[i] = model.score(cap.sentences, cap.sections).probs
    return probs


def choose_thresholds(captured, probs, policies, lang: str, rounds: int = 2):
    thresholds, free = [0.8] * len(CATEGORIES), [NEVER] * len(CATEGORIES)
    best = replay(captured, probs, thresholds, free, policies, lang)
    print(f"  start: macro-F1 {best:.4f}")
    for r in range(rounds):
        for c, (name, _, _) in enumerate(CATEGORIES):
            for grid, values in ((GRID, thresholds), (FREE_GRIDS[lang], free)):
                for value in grid:
                    if value == values[c]:
                        continue
                    trial = list(values)
                    trial[c] = value
                    args = (trial, free) if values is thresholds else (thresholds, trial)
                    score = replay(captured, probs, *args, policies, lang)
                    if score > best + 1e-4:
                        best = score
                        values[c] = value
            print(f"  round {r + 1} {name}: threshold {thresholds[c]}, anywhere {free[c]}, "
                  f"macro-F1 {best:.4f}")
    return thresholds, free, best


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lang", choices=sorted(SOURCE), default="zh")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "models")
    args = ap.parse_args(argv)
    lang, name = args.lang, MODEL_NAMES[args.lang]
    if not (args.corpus / SOURCE[lang]).is_dir():
        print(f"no CAPP-130 corpus at {args.corpus / SOURCE[lang]}", file=sys.stderr)
        return 2

    captured, policies = capture(args.corpus, args.split, lang)
    design = Design(captured, lang)
    print(f"{len(captured)} policies, {design.n} sentences, positives per category:",
          design.targets.sum(axis=0).astype(int).tolist())
    nothing = [numpy.zeros((len(c.rows), len(CATEGORIES))) for c in captured]
    print(f"engine without the classifier: macro-F1 "
          f"{replay(captured, nothing, [1] * 10, [NEVER] * 10, policies, lang):.4f}")

    print(f"out-of-fold probabilities ({args.folds} folds by template family)")
    probs = out_of_fold(captured, args.folds, lang)
    thresholds, free, best = choose_thresholds(captured, probs, policies, lang)

    codes, weights, bias = fit(design)
    meta = {
        "name": name,
        "trained_on": f"CAPP-130 (CC BY 4.0), {args.split} split of bench/accuracy.py, "
                      f"{len(captured)} policies, {design.n} sentences"
                      + (", English machine translation shipped with the corpus" if lang == "en" else ""),
        "features": FEATURES[lang],
        "extractor": EXTRACTOR[lang],
        "thresholds_from": f"{args.folds}-fold cross-validation by template family, "
                           f"out-of-fold macro-F1 {best:.4f}",
        "categories": category_meta(lang, thresholds, free),
    }
    save_model(args.out, meta, codes, weights, bias)
    print(f"kept {len(codes)} features; wrote {args.out / name}.json/.npz")
    return 0


def save_model(folder: Path, meta: dict, codes, weights, bias) -> None:
    """Writes the model ``meta["name"]`` as reviewer.core.classifier.load_model reads it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{meta['name']}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")
    numpy.savez_compressed(folder / f"{meta['name']}.npz", codes=codes.astype(numpy.int64),
                           weights=weights.astype(numpy.float16), bias=bias)


if __name__ == "__main__":
    raise SystemExit(main())
