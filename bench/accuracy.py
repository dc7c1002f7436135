"""Score the topic detection engine against the development corpus.

Usage:
    python bench/accuracy.py [--split dev|test|all] [--topic T --show-errors N]
                             [--source capp130|capp130_en_mt|opp115] [--json OUT]

Corpus: ../shared/corpus (see its README.md for the label schema). Every
policy's ``texts/<policy>.txt`` is loaded with ``reviewer.core.loaders.load``
and run through ``reviewer.core.engine.analyze``. Nothing is written to the
repository; OPP-115 text is only ever printed to the terminal.

Matching findings to records
    A finding of topic T predicts T for a labelled record when their character
    spans overlap by at least half of the finding's length or at least half of
    the record's length. Negated findings count too: "we do not share ..."
    still addresses the sharing topic.

Segment-level scores
    Topics a source cannot express (README) are left out of its precision:
    OPP-115 has no entrusted_processing, sensitive_pi, complaint_channel or
    incident_response; CAPP-130 has no sensitive_pi.

    strict      per topic, against ``strict_labels``: TP = predicted and in
                strict_labels, FP = predicted and not in strict_labels,
                FN = in strict_labels and not predicted.
    lenient P   per topic: a prediction is correct if the topic is in ``labels``.
    group R     a ``label_groups`` entry is found if the record is predicted
                at least one of its ``any_of`` topics.

    Headline "segment-level macro-F1":
    OPP-115     mean over topics (those with strict gold) of the strict F1.
                The OPP-115 mapping is nearly one-to-one, so strict labels are
                the faithful reference.
    CAPP-130    (zh and English MT) mean over label groups of the group F1.
                A label group is a distinct ``any_of`` topic set, i.e. one
                CAPP-130 category (数据收集 and 权限获取 map to the same set and
                form one group). Group recall = share of records carrying the
                group for which at least one of its topics was predicted.
                Group precision = share of records predicted at least one of
                the group's topics where at least one of those predicted topics
                is in the record's ``labels`` (lenient precision at group
                level). The CAPP-130 categories are coarse, so per-topic F1
                would punish the tool for choosing, say, entrusted_processing
                rather than sharing_third_parties where the annotators could
                not tell them apart; scoring per category keeps recall and
                precision on the unit the annotators actually labelled.
    Micro figures sum the counts over topics (OPP-115) or groups (CAPP-130).
    Every source also reports micro group recall and micro lenient precision.

Policy-level presence
    For each policy and each topic in the union of its records' ``labels``:
    did the tool report that topic anywhere in the document? The false presence
    rate (topics it can express but absent from the union) is informative only.
    A CAPP-130 label names a category, so every topic of a labelled category
    counts as expected (a policy that shares data but entrusts none "misses"
    entrusted_processing); the summary adds presence by label group: any topic
    of the category found anywhere in the policy.

Split
    Policies are grouped into template families (policies sharing a company
    template stay together), families are ordered by a hash of their name and
    assigned greedily to whichever half has fewer policies so far. The English
    MT policies follow the split of their Chinese originals.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = Path(__file__).resolve().parents[2] / "shared"  # beside the repository
CORPUS = SHARED / "corpus"
SHARED_POLICIES = SHARED / "policies" / "en"

TOPICS = [
    "processor_identity_contact", "purposes_and_use", "pi_categories", "retention",
    "sharing_third_parties", "entrusted_processing", "transfer_merger", "public_disclosure",
    "cross_border", "sensitive_pi", "minors", "individual_rights", "consent_withdrawal",
    "account_deletion", "complaint_channel", "security_measures", "incident_response",
    "policy_changes", "automated_decisions_marketing", "cookies_tracking",
    "legal_basis_exceptions",
]
MATCH_RULE = ("finding -> record if overlap >= 50% of the finding span "
              "or >= 50% of the record span (negated findings included)")


@dataclass(frozen=True)
class Source:
    key: str  # folder name under the corpus
    title: str
    lang: str
    scheme: str  # "strict" or "group"
    uncovered: frozenset

    @property
    def scorable(self) -> list[str]:
        return [t for t in TOPICS if t not in self.uncovered]


SOURCES = [
    Source("capp130", "CAPP-130 zh", "zh", "group", frozenset({"sensitive_pi"})),
    Source("capp130_en_mt", "CAPP-130 English MT", "en", "group", frozenset({"sensitive_pi"})),
    Source("opp115", "OPP-115 en", "en", "strict",
           frozenset({"entrusted_processing", "sensitive_pi", "complaint_channel",
                      "incident_response"})),
]

# Template siblings: the README's list plus pairs that share many identical
# sentences. Keys are matched against the policy id without its number.
FAMILIES = {
    "tencent": ["QQ", "王者营地", "全民k歌", "穿越火线", "wechart", "腾讯会议", "QQ浏览器"],
    "leiting": ["问道", "一念逍遥"],
    "ccb": ["建行", "建行生活"],
    "kingsoft": ["剑侠世界3", "新剑侠奇缘"],
    "nikki-ziyi": ["闪耀暖暖", "无限迷途"],
    "netease-ark": ["网易", "部落冲突"],
    "wanmei-duoyi": ["梦幻新诛仙", "神武4"],
    "amazon": ["amazon.com", "imdb.com"],
}
FAMILY_OF = {name: family for family, names in FAMILIES.items() for name in names}


# ---------------------------------------------------------------- corpus

@dataclass
class Policy:
    pid: str
    base: str  # id of the original-language policy (drops "_en_mt")
    path: Path
    records: list[dict]


def policy_name(pid: str) -> str:
    """'capp_3_建行' -> '建行', '105_amazon.com' -> 'amazon.com'."""
    base = pid.removesuffix("_en_mt")
    if base.startswith("capp_"):
        base = base[len("capp_"):]
    return base.split("_", 1)[1] if "_" in base else base


def load_source(corpus: Path, source: Source) -> list[Policy]:
    folder = corpus / source.key
    policies = []
    for jsonl in sorted(folder.glob("*.jsonl")):
        records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        pid = jsonl.stem
        policies.append(Policy(pid, pid.removesuffix("_en_mt"),
                               folder / "texts" / f"{pid}.txt", records))
    return policies


def family(pid: str) -> str:
    name = policy_name(pid)
    return FAMILY_OF.get(name, name)


def split_of(base_ids: list[str]) -> dict[str, str]:
    """Deterministic dev/test assignment of policy ids, families kept together."""
    members = defaultdict(list)
    for pid in sorted(base_ids):
        members[family(pid)].append(pid)
    order = sorted(members, key=lambda f: hashlib.sha256(f.encode()).hexdigest())
    sizes = {"dev": 0, "test": 0}
    result = {}
    for fam in order:
        side = "dev" if sizes["dev"] <= sizes["test"] else "test"
        sizes[side] += len(members[fam])
        for pid in members[fam]:
            result[pid] = side
    return result


# ---------------------------------------------------------------- engine

def import_engine():
    try:
        from reviewer.core.loaders import load
        from reviewer.core.engine import analyze
    except ImportError as exc:
        sys.exit(f"accuracy.py: the detection engine is not importable yet ({exc}).\n"
                 "Expected reviewer.core.loaders.load and reviewer.core.engine.analyze.")
    try:
        from reviewer.core.rules import load_ruleset
    except ImportError:
        load_ruleset = None
    return load, analyze, load_ruleset


@dataclass
class Run:
    text: str
    findings: list  # (start, end, topic)
    load_ms: float
    analyze_ms: float
    lang: str | None = None
    error: str | None = None


def run_engine(engine, ruleset, path: Path) -> Run:
    load, analyze, _ = engine
    t0 = time.perf_counter()
    try:
        doc = load(path)
        t1 = time.perf_counter()
        analysis = analyze(doc, ruleset)
        t2 = time.perf_counter()
    except Exception as exc:  # report and keep scoring the other policies
        return Run("", [], 0.0, 0.0, error=f"{type(exc).__name__}: {exc}")
    findings = [(f.start, f.end, f.topic) for f in analysis.findings]
    return Run(doc.text, findings, (t1 - t0) * 1000, (t2 - t1) * 1000,
               lang=getattr(doc, "lang", None))


def assign(findings, records) -> list[dict[str, list]]:
    """Per record: topic -> findings (start, end) assigned to it by MATCH_RULE."""
    starts = [r["char_start"] for r in records]
    result = [defaultdict(list) for _ in records]
    for start, end, topic in findings:
        end = max(end, start + 1)
        i = max(0, bisect_left(starts, start) - 1)
        while i < len(records) and records[i]["char_start"] < end:
            r = records[i]
            overlap = min(end, r["char_end"]) - max(start, r["char_start"])
            rlen = max(1, r["char_end"] - r["char_start"])
            if overlap > 0 and (2 * overlap >= end - start or 2 * overlap >= rlen):
                result[i][topic].append((start, end))
            i += 1
    return result


# ---------------------------------------------------------------- scoring

def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Scored:
    """Counts for one source over the selected policies."""
    source: Source
    strict: dict = field(default_factory=lambda: defaultdict(Counter))   # topic -> tp/fp/fn
    lenient: dict = field(default_factory=lambda: defaultdict(Counter))  # topic -> pred/ok/gold/hit
    groups: dict = field(default_factory=lambda: defaultdict(Counter))   # group -> gold/found/pred/ok
    group_names: dict = field(default_factory=dict)  # group -> names of its source categories
    presence: dict = field(default_factory=lambda: defaultdict(Counter))  # topic -> gold/found/absent/false
    misses: dict = field(default_factory=lambda: defaultdict(list))       # topic -> policy ids
    group_presence: dict = field(default_factory=lambda: defaultdict(Counter))  # group -> gold/found
    timing: list = field(default_factory=list)  # (policy, chars, load_ms, analyze_ms)
    errors: list = field(default_factory=list)
    lang_mismatch: list = field(default_factory=list)
    examples: dict = field(default_factory=lambda: {"fn": [], "fp": []})


def group_key(any_of) -> tuple:
    return tuple(t for t in TOPICS if t in any_of)


def label_groups(policies: list[Policy]) -> dict[tuple, set]:
    """Every distinct any_of topic set of a source, with the categories that map to it."""
    names = defaultdict(set)
    for policy in policies:
        for rec in policy.records:
            for g in rec["label_groups"]:
                names[group_key(g["any_of"])].add(g["from"])
    return dict(names)


def score_policy(sc: Scored, policy: Policy, run: Run, debug_topic: str | None):
    src = sc.source
    scorable = set(src.scorable)
    per_record = assign(run.findings, policy.records)
    for rec, matched in zip(policy.records, per_record):
        pred = set(matched)
        labels, strict = set(rec["labels"]), set(rec["strict_labels"])
        for t in scorable:
            if t in pred:
                sc.lenient[t]["pred"] += 1
                sc.lenient[t]["ok"] += t in labels
                sc.strict[t]["tp" if t in strict else "fp"] += 1
            elif t in strict:
                sc.strict[t]["fn"] += 1
            if t in labels:
                sc.lenient[t]["gold"] += 1
                sc.lenient[t]["hit"] += t in pred
        rec_groups = {group_key(g["any_of"]) for g in rec["label_groups"]}
        for key in rec_groups:
            sc.groups[key]["gold"] += 1
            sc.groups[key]["found"] += bool(pred & set(key))
        for key in sc.group_names:
            hit = pred & set(key)
            if hit:
                sc.groups[key]["pred"] += 1
                sc.groups[key]["ok"] += bool(hit & labels)
        if debug_topic:
            collect_errors(sc, policy, rec, pred, matched, run.text, debug_topic)

    found = {topic for _, _, topic in run.findings}
    union = set().union(*(r["labels"] for r in policy.records))
    for t in src.scorable:
        if t in union:
            sc.presence[t]["gold"] += 1
            if t in found:
                sc.presence[t]["found"] += 1
            else:
                sc.misses[t].append(policy.pid)
        else:
            sc.presence[t]["absent"] += 1
            sc.presence[t]["false"] += t in found
    for key in {group_key(g["any_of"]) for r in policy.records for g in r["label_groups"]}:
        sc.group_presence[key]["gold"] += 1
        sc.group_presence[key]["found"] += bool(found & set(key))


def collect_errors(sc, policy, rec, pred, matched, text, topic):
    if sc.source.scheme == "strict":
        missed = topic in rec["strict_labels"] and topic not in pred
        wrong = topic in pred and topic not in rec["strict_labels"]
    else:
        missed = any(topic in g["any_of"] and not pred & set(g["any_of"])
                     for g in rec["label_groups"])
        wrong = topic in pred and topic not in rec["labels"]
    if topic in sc.source.uncovered:
        wrong = False
    item = {"policy": policy.pid, "segment_id": rec["segment_id"], "text": rec["text"],
            "orig_labels": rec["orig_labels"], "labels": rec["labels"], "pred": sorted(pred),
            "cues": [text[s:e] for s, e in matched.get(topic, [])[:3]]}
    if missed:
        sc.examples["fn"].append(item)
    if wrong:
        sc.examples["fp"].append(item)


def summarize(sc: Scored) -> dict:
    src = sc.source
    topics = {}
    for t in src.scorable:
        s, le = sc.strict[t], sc.lenient[t]
        n_strict = s["tp"] + s["fn"]
        row = {"pred": le["pred"], "lenient_p": le["ok"] / le["pred"] if le["pred"] else None,
               "labels_gold": le["gold"], "labels_recall": le["hit"] / le["gold"] if le["gold"] else None,
               "strict_gold": n_strict}
        if n_strict:
            row["strict_p"], row["strict_r"], row["strict_f1"] = prf(s["tp"], s["tp"] + s["fp"], n_strict)
        topics[t] = row

    groups = {}
    for key, c in sc.groups.items():
        if not c["gold"]:
            continue
        p, r = (c["ok"] / c["pred"] if c["pred"] else 0.0), c["found"] / c["gold"]
        groups[",".join(key)] = {
            "name": "/".join(sorted(sc.group_names[key])), "topics": list(key), "gold": c["gold"], "found": c["found"], "recall": r,
            "pred": c["pred"], "precision": p, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    all_gold = sum(c["gold"] for c in sc.groups.values())
    all_found = sum(c["found"] for c in sc.groups.values())
    n_pred = sum(sc.lenient[t]["pred"] for t in src.scorable)
    n_ok = sum(sc.lenient[t]["ok"] for t in src.scorable)
    micro = {"group_recall": all_found / all_gold if all_gold else None,
             "lenient_precision": n_ok / n_pred if n_pred else None}

    if src.scheme == "strict":
        scored = [t for t in src.scorable if topics[t]["strict_gold"]]
        macro = statistics.mean(topics[t]["strict_f1"] for t in scored) if scored else 0.0
        tp = sum(sc.strict[t]["tp"] for t in scored)
        fp = sum(sc.strict[t]["fp"] for t in scored)
        fn = sum(sc.strict[t]["fn"] for t in scored)
        micro["strict_p"], micro["strict_r"], micro["strict_f1"] = prf(tp, tp + fp, tp + fn)
        headline = "macro-F1 over topics, strict P/R against strict_labels"
    else:
        macro = statistics.mean(g["f1"] for g in groups.values()) if groups else 0.0
        found = sum(g["found"] for g in groups.values())
        gold = sum(g["gold"] for g in groups.values())
        pred = sum(g["pred"] for g in groups.values())
        ok = sum(sc.groups[tuple(g["topics"])]["ok"] for g in groups.values())
        p, r = (ok / pred if pred else 0.0), (found / gold if gold else 0.0)
        micro["group_p"], micro["group_r"] = p, r
        micro["group_f1"] = 2 * p * r / (p + r) if p + r else 0.0
        headline = "macro-F1 over label groups, group recall and group-level lenient precision"

    pres_gold = sum(c["gold"] for c in sc.presence.values())
    pres_found = sum(c["found"] for c in sc.presence.values())
    absent = sum(c["absent"] for c in sc.presence.values())
    false = sum(c["false"] for c in sc.presence.values())
    presence = {
        "found_share": pres_found / pres_gold if pres_gold else None,
        "false_presence_rate": false / absent if absent else None,
        "per_topic": {t: {"gold": c["gold"], "found": c["found"], "absent": c["absent"],
                          "false": c["false"], "misses": sc.misses.get(t, [])}
                      for t, c in sc.presence.items()},
        "groups": {",".join(key): {"name": "/".join(sorted(sc.group_names[key])),
                                   "gold": c["gold"], "found": c["found"]}
                   for key, c in sc.group_presence.items()},
    }

    chars = sum(c for _, c, _, _ in sc.timing)
    analyze_ms = [a for _, _, _, a in sc.timing]
    total_ms = [l + a for _, _, l, a in sc.timing]
    timing = {
        "policies": len(sc.timing), "chars": chars,
        "analyze_ms_mean": statistics.mean(analyze_ms) if analyze_ms else None,
        "analyze_ms_median": statistics.median(analyze_ms) if analyze_ms else None,
        "analyze_ms_max": max(analyze_ms) if analyze_ms else None,
        "load_analyze_ms_mean": statistics.mean(total_ms) if total_ms else None,
        "analyze_ms_per_25k_chars": sum(analyze_ms) / chars * 25000 if chars else None,
    }
    return {"source": src.title, "scheme": src.scheme, "headline": headline,
            "macro_f1": macro, "micro": micro, "topics": topics, "groups": groups,
            "presence": presence, "timing": timing, "errors": sc.errors,
            "lang_mismatch": sc.lang_mismatch,
            "excluded_from_precision": sorted(src.uncovered)}


# ---------------------------------------------------------------- output

def fmt(x, width=6):
    return f"{x:{width}.3f}" if isinstance(x, float) else f"{'-':>{width}}"


def print_source(summary: dict, n_policies: int, split: str):
    print(f"\n{'=' * 78}\n{summary['source']}  ({n_policies} policies, split={split})")
    print(f"headline: segment-level {summary['headline']}")
    print(f"excluded from precision: {', '.join(summary['excluded_from_precision'])}")
    if summary["errors"]:
        print(f"ENGINE ERRORS on {len(summary['errors'])} policies:")
        for pid, err in summary["errors"]:
            print(f"  {pid}: {err}")
    if summary["lang_mismatch"]:
        print("language detected differently on: "
              + ", ".join(f"{p} ({lang})" for p, lang in summary["lang_mismatch"]))

    print(f"\n{'topic':31}{'sGold':>6}{'sP':>7}{'sR':>7}{'sF1':>7}{'pred':>7}"
          f"{'lenP':>7}{'gold':>7}{'hitR':>7}")
    for t, row in summary["topics"].items():
        print(f"{t:31}{row['strict_gold']:6d} {fmt(row.get('strict_p'))} {fmt(row.get('strict_r'))} "
              f"{fmt(row.get('strict_f1'))}{row['pred']:7d} {fmt(row['lenient_p'])}"
              f"{row['labels_gold']:7d} {fmt(row['labels_recall'])}")
    print("  sGold/sP/sR/sF1: strict; lenP: lenient precision; "
          "gold/hitR: records with the topic in labels and the share predicted it")

    if summary["scheme"] == "group":
        print(f"\n{'gold':>6}{'found':>7}{'R':>7}{'pred':>7}{'P':>7}{'F1':>7}  label group: topics")
        for g in sorted(summary["groups"].values(), key=lambda g: -g["gold"]):
            print(f"{g['gold']:6d}{g['found']:7d} {fmt(g['recall'])}{g['pred']:7d} "
                  f"{fmt(g['precision'])} {fmt(g['f1'])}  {g['name']}: {','.join(g['topics'])}")

    m = summary["micro"]
    print(f"\nSEGMENT-LEVEL MACRO-F1: {summary['macro_f1']:.3f}")
    if summary["scheme"] == "strict":
        print(f"micro strict P/R/F1: {fmt(m['strict_p'], 0)} / {fmt(m['strict_r'], 0)} / "
              f"{fmt(m['strict_f1'], 0)}")
    else:
        print(f"micro group P/R/F1: {fmt(m['group_p'], 0)} / {fmt(m['group_r'], 0)} / "
              f"{fmt(m['group_f1'], 0)}")
    print(f"micro group recall (all label_groups): {fmt(m['group_recall'], 0)}   "
          f"micro lenient precision: {fmt(m['lenient_precision'], 0)}")

    pres = summary["presence"]
    print(f"\npolicy-level presence: found {fmt(pres['found_share'], 0)} of (policy, topic) pairs "
          f"in labels; false presence {fmt(pres['false_presence_rate'], 0)} (informative)")
    for t, c in pres["per_topic"].items():
        if not c["gold"] and not c["false"]:
            continue
        line = f"  {t:31}{c['found']:3d}/{c['gold']:<3d}"
        if c["absent"]:
            line += f"  false {c['false']}/{c['absent']}"
        if c["misses"]:
            names = [policy_name(p) for p in c["misses"]]
            more = f" (+{len(names) - 12} more)" if len(names) > 12 else ""
            line += "  missed: " + ", ".join(names[:12]) + more
        print(line)
    if summary["scheme"] == "group":
        print("  by label group (any of its topics found anywhere in the policy):")
        for g in sorted(pres["groups"].values(), key=lambda g: -g["gold"]):
            print(f"    {g['found']:3d}/{g['gold']:<3d} {g['name']}")

    tm = summary["timing"]
    if tm["policies"]:
        print(f"\ntime: analyze mean {tm['analyze_ms_mean']:.0f} ms, median "
              f"{tm['analyze_ms_median']:.0f} ms, max {tm['analyze_ms_max']:.0f} ms per policy; "
              f"load+analyze mean {tm['load_analyze_ms_mean']:.0f} ms; "
              f"{tm['analyze_ms_per_25k_chars']:.0f} ms per 25k chars ({tm['chars']} chars)")


def print_errors(sc: Scored, topic: str, n: int):
    rng = random.Random(0)
    for kind, title in (("fn", "FALSE NEGATIVES"), ("fp", "FALSE POSITIVES")):
        items = sc.examples[kind]
        shown = sorted(rng.sample(items, min(n, len(items))),
                       key=lambda x: (x["policy"], x["segment_id"]))
        print(f"\n--- {sc.source.title}: {title} for {topic} ({len(shown)} of {len(items)})")
        for it in shown:
            text = it["text"].replace("\n", " ")
            text = text if len(text) <= 200 else text[:200] + "…"
            print(f"[{it['policy']} #{it['segment_id']}] orig={','.join(it['orig_labels']) or '-'}"
                  f" pred={','.join(it['pred']) or '-'}")
            print(f"    {text}")
            for cue in it["cues"]:
                cue = cue.replace("\n", " ")
                print(f"    cue: {cue[:80] + '…' if len(cue) > 80 else cue}")


def run_shared(engine, ruleset, folder: Path) -> dict:
    out = {}
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        return out
    print(f"\n{'=' * 78}\nShared policies ({folder}): topics found, policy level")
    for path in paths:
        run = run_engine(engine, ruleset, path)
        if run.error:
            print(f"  {path.name}: ENGINE ERROR {run.error}")
            out[path.name] = {"error": run.error}
            continue
        counts = Counter(topic for _, _, topic in run.findings)
        missing = [t for t in TOPICS if t not in counts]
        print(f"\n  {path.name} ({len(run.text)} chars, {run.analyze_ms:.0f} ms)")
        print("    found:   " + ", ".join(f"{t}({counts[t]})" for t in TOPICS if t in counts))
        print("    missing: " + (", ".join(missing) or "-"))
        out[path.name] = {"topics": dict(counts), "analyze_ms": run.analyze_ms}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="all")
    ap.add_argument("--source", choices=[s.key for s in SOURCES], action="append",
                    help="score only this source (repeatable)")
    ap.add_argument("--topic", choices=TOPICS, help="topic for --show-errors")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N",
                    help="print up to N false negatives and N false positives for --topic")
    ap.add_argument("--json", metavar="OUT", help="write the figures as JSON")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--policies", type=Path, default=SHARED_POLICIES,
                    help="folder of extra .txt policies to report topics for")
    args = ap.parse_args(argv)
    if args.show_errors and not args.topic:
        ap.error("--show-errors needs --topic")

    engine = import_engine()
    ruleset = engine[2]() if engine[2] else None
    print(f"match rule: {MATCH_RULE}")

    sources = [s for s in SOURCES if not args.source or s.key in args.source]
    loaded = {s.key: load_source(args.corpus, s) for s in SOURCES}
    capp_split = split_of([p.base for p in loaded["capp130"]])
    opp_split = split_of([p.base for p in loaded["opp115"]])

    report = {"split": args.split, "match_rule": MATCH_RULE, "sources": {}}
    for src in sources:  # the first run in a language loads its pipeline and models: not timed
        if loaded[src.key]:
            run_engine(engine, ruleset, loaded[src.key][0].path)
    for src in sources:
        policies = loaded[src.key]
        sides = capp_split if src.key.startswith("capp130") else opp_split
        if args.split != "all":
            policies = [p for p in policies if sides.get(p.base) == args.split]
        sc = Scored(src, group_names=label_groups(loaded[src.key]))
        for policy in policies:
            run = run_engine(engine, ruleset, policy.path)
            if run.error:
                sc.errors.append((policy.pid, run.error))
                continue
            if run.text != policy.path.read_text(encoding="utf-8"):
                sys.exit(f"accuracy.py: {policy.path.name}: document.text differs from the file "
                         "content, so the record offsets cannot be matched.")
            if run.lang and run.lang != src.lang:
                sc.lang_mismatch.append((policy.pid, run.lang))
            sc.timing.append((policy.pid, len(run.text), run.load_ms, run.analyze_ms))
            score_policy(sc, policy, run, args.topic if args.show_errors else None)
        summary = summarize(sc)
        summary["policies"] = [p.pid for p in policies]
        print_source(summary, len(policies), args.split)
        if args.show_errors:
            print_errors(sc, args.topic, args.show_errors)
        report["sources"][src.key] = summary

    print(f"\n{'=' * 78}\nSUMMARY (split={args.split})")
    for key, s in report["sources"].items():
        groups = s["presence"]["groups"].values()
        by_group = (f" (label groups {fmt(sum(g['found'] for g in groups) / sum(g['gold'] for g in groups), 0)})"
                    if s["scheme"] == "group" and groups else "")
        print(f"  {s['source']:22} segment-level macro-F1 {s['macro_f1']:.3f}   "
              f"presence {fmt(s['presence']['found_share'], 0)}{by_group}   ({s['headline']})")

    report["shared_policies"] = run_shared(engine, ruleset, args.policies)
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    failed = any(s["errors"] for s in report["sources"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
