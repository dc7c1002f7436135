"""Segment-level accuracy against the product's own topic definitions.

The corpus labels of bench/accuracy.py come from other schemes (CAPP-130's
coarse categories, OPP-115's), so part of what they count as errors are correct
findings under PIPL topics. bench/gold/ holds random samples of clauses from
CAPP-130 (Chinese, and the English machine translation the corpus ships), each
annotated with the topics of resources/rules/pipl/topics.yaml that it addresses,
blind to the tool's output: capp130-heldout-sample.jsonl and the larger
capp130-heldout-sample-2.jsonl from the held-out half (the figures to report;
the second was drawn later, from clauses not in the first), and
capp130-dev-sample.jsonl, capp130-dev-sample-2.jsonl,
capp130-dev-sample-3.jsonl and capp130-dev-sample-4.jsonl from the development
half (the ones to study errors on; each was drawn later, from clauses not in the
ones before; the fourth holds the remaining English translation clauses).
shared-en-sample.jsonl annotates every clause of the three English policies in
../shared/policies/en the same way. The third and fourth development samples, the
second held-out one and the shared one hold offsets, topics and a digest of each
clause; the text stays in ../shared. written-us-sample.jsonl labels every clause
of 32 policies written for this project in the style of US and European ones
(written-us/, not used for training), labelled while they were written, blind to
the rules: a development sample for English policies that were English from the
start. This script scores the engine on them:

    python bench/topic_gold.py [--split test|test2|dev|dev2|dev3|dev4|shared|written] [--gold FILE] [--corpus ../shared/corpus] [--show TOPIC] [--no-topic-model]

The development samples trained the topic classifiers (bench/train_topic_model.py),
so on them the engine's figures are in-sample; --no-topic-model leaves that layer
out, to study the rules.

A finding counts for a clause by the matching rule of bench/accuracy.py. Macro-F1
is over the topics with at least MIN_GOLD clauses in the sample. Policy-level
presence is the share of (policy, topic) pairs of the sampled clauses whose topic
the engine finds anywhere in that policy. capp130-dev-sample-3-second-annotation.jsonl
annotates 400 clauses of the third development sample a second time, blind to the
first annotation and to the tool (`--split dev3 --against FILE` scores the two
annotations against each other): how far the annotations agree is the ceiling
the engine's figures should be read against.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import accuracy as acc

GOLD_DIR = Path(__file__).resolve().parent / "gold"
SPLITS = {  # split: (sample file, title in the report)
    "test": ("capp130-heldout-sample.jsonl", "CAPP-130 held-out sample"),
    "test2": ("capp130-heldout-sample-2.jsonl", "CAPP-130 second held-out sample"),
    "dev": ("capp130-dev-sample.jsonl", "CAPP-130 development sample"),
    "dev2": ("capp130-dev-sample-2.jsonl", "CAPP-130 second development sample"),
    "dev3": ("capp130-dev-sample-3.jsonl", "CAPP-130 third development sample"),
    "dev4": ("capp130-dev-sample-4.jsonl", "CAPP-130 fourth development sample"),
    "shared": ("shared-en-sample.jsonl", "Shared English policies, every clause"),
    "written": ("written-us-sample.jsonl", "Policies written in the style of US and European ones, every clause"),
}
WRITTEN = GOLD_DIR / "written-us"  # the policies of the "written" split
MIN_GOLD = 5


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def clause_key(rec: dict) -> tuple:
    """What identifies a sampled clause across annotations of it."""
    return rec["policy"], rec["start"], rec["end"]


def policy_paths(corpus: Path) -> dict[str, Path]:
    paths = {path.stem: path for folder in (acc.SHARED_POLICIES, WRITTEN) for path in sorted(folder.glob("*.txt"))}
    for src in acc.SOURCES:
        for policy in acc.load_source(corpus, src):
            paths[policy.path.stem] = policy.path
    return paths


def predictions(records: list[dict], corpus: Path, anywhere: dict | None = None) -> list[set[str]]:
    """The topics the engine finds for each record; ``anywhere``, if given,
    receives the topics it finds anywhere in each policy."""
    engine = acc.import_engine()
    ruleset = engine[2]()
    paths = policy_paths(corpus)
    by_policy = defaultdict(list)
    for n, rec in enumerate(records):
        by_policy[rec["policy"]].append(n)
    found: list[set[str]] = [set() for _ in records]
    for policy, indices in by_policy.items():
        run = acc.run_engine(engine, ruleset, paths[policy])
        if run.error:
            sys.exit(f"topic_gold.py: {policy}: {run.error}")
        ordered = sorted(indices, key=lambda n: records[n]["start"])
        spans = []
        for n in ordered:
            rec = records[n]
            check_clause(rec, run.text)
            spans.append({"char_start": rec["start"], "char_end": rec["end"]})
        for n, topics in zip(ordered, acc.assign(run.findings, spans)):
            found[n] = set(topics)
        if anywhere is not None:
            anywhere[policy] = {topic for _, _, topic in run.findings}
    return found


def presence(records: list[dict], anywhere: dict) -> tuple[float, int]:
    """Share of the (policy, topic) pairs of the sample's clauses whose topic the
    engine finds somewhere in the policy, and the number of pairs."""
    pairs = {(rec["policy"], t) for rec in records for t in rec["topics"]}
    return sum(t in anywhere[policy] for policy, t in pairs) / max(1, len(pairs)), len(pairs)


def check_clause(rec: dict, text: str) -> None:
    """Sets rec["text"] from a sample that holds a digest; exits if ``text`` no
    longer has the sampled clause at its offsets."""
    clause = text[rec["start"]:rec["end"]].strip()
    if "text" not in rec and hashlib.sha256(clause.encode("utf-8")).hexdigest()[:16] == rec.get("sha256"):
        rec["text"] = clause  # samples of texts kept outside the repository hold a digest instead
    if clause != rec.get("text"):
        sys.exit(f"topic_gold.py: {rec['policy']}: the text at {rec['start']}-{rec['end']} is not the "
                 "sampled clause; the corpus or the sample changed.")


def score(records: list[dict], found: list[set[str]]) -> dict:
    counts: dict[str, Counter] = defaultdict(Counter)
    for rec, pred in zip(records, found):
        gold = set(rec["topics"])
        for t in gold | pred:
            counts[t]["tp"] += t in gold and t in pred
            counts[t]["fp"] += t in pred and t not in gold
            counts[t]["fn"] += t in gold and t not in pred
    rows = {}
    for t, c in sorted(counts.items()):
        p, r, f = acc.prf(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])
        rows[t] = {"gold": c["tp"] + c["fn"], "pred": c["tp"] + c["fp"], "p": p, "r": r, "f1": f}
    scored = [row["f1"] for row in rows.values() if row["gold"] >= MIN_GOLD]
    tp = sum(c["tp"] for c in counts.values())
    micro = acc.prf(tp, tp + sum(c["fp"] for c in counts.values()), tp + sum(c["fn"] for c in counts.values()))
    return {"topics": rows, "macro_f1": sum(scored) / len(scored) if scored else 0.0,
            "macro_topics": len(scored), "micro": micro, "clauses": len(records)}


def report(title: str, s: dict) -> None:
    print(f"\n{title}: {s['clauses']} clauses")
    print(f"{'topic':32}{'gold':>5}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for t, row in s["topics"].items():
        mark = "" if row["gold"] >= MIN_GOLD else "  (not in macro)"
        print(f"{t:32}{row['gold']:5d}{row['pred']:6d}{row['p']:7.3f}{row['r']:7.3f}{row['f1']:7.3f}{mark}")
    p, r, f = s["micro"]
    print(f"macro-F1 {s['macro_f1']:.3f} over {s['macro_topics']} topics with >= {MIN_GOLD} clauses; "
          f"micro P/R/F1 {p:.3f} / {r:.3f} / {f:.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=sorted(SPLITS), default="test")
    ap.add_argument("--gold", type=Path, help="a sample file other than the split's")
    ap.add_argument("--corpus", type=Path, default=acc.CORPUS)
    ap.add_argument("--show", metavar="TOPIC", help="print the clauses where the engine and the gold differ")
    ap.add_argument("--against", type=Path, metavar="FILE",
                    help="a second annotation of some of the sample's clauses: score it against the "
                         "sample's, and the engine on the same clauses")
    ap.add_argument("--no-topic-model", action="store_true",
                    help="leave out the topic classifiers, which the development samples trained")
    args = ap.parse_args(argv)
    if args.no_topic_model:
        from reviewer.core import engine
        engine.TOPIC_MODEL_NAMES = {}
    if not (args.corpus / "capp130").is_dir():
        print(f"topic_gold.py: no corpus at {args.corpus}; nothing to score")
        return 0
    file, name = SPLITS[args.split]
    records = load_gold(args.gold or GOLD_DIR / file)
    second = {}
    if args.against:
        second = {clause_key(r): set(r["topics"]) for r in load_gold(args.against)}
        records = [r for r in records if clause_key(r) in second]
    anywhere: dict = {}
    found = predictions(records, args.corpus, anywhere)
    if args.gold:
        name = args.gold.name
    if second:
        report(f"Second annotation ({args.against.name}) against {name}",
               score(records, [second[clause_key(r)] for r in records]))
        name = f"The engine on the same {len(records)} clauses"
    for lang, title in (("zh", f"{name}, Chinese"), ("en", f"{name}, English")):
        chosen = [n for n, rec in enumerate(records) if rec["lang"] == lang]
        if chosen:
            report(title, score([records[n] for n in chosen], [found[n] for n in chosen]))
            share, pairs = presence([records[n] for n in chosen], anywhere)
            print(f"policy-level presence {share:.3f} of {pairs} (policy, topic) pairs")
    report("All clauses", score(records, found))
    share, pairs = presence(records, anywhere)
    print(f"policy-level presence {share:.3f} of {pairs} (policy, topic) pairs")
    if args.show:
        for rec, pred in zip(records, found):
            gold = set(rec["topics"])
            if (args.show in gold) != (args.show in pred):
                kind = "missed" if args.show in gold else "extra"
                where = rec.get("id") or f"{rec['policy']}:{rec['start']}"
                print(f"\n[{kind}] {where} gold={sorted(gold)} found={sorted(pred)}\n    {rec['text'][:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
