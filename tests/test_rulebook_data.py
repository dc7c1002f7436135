"""The PIPL rulebook data must match the reference checklist item for item.

The reference (REQUIREMENTS.md) is parsed with a few regular expressions; the
test is skipped when it is not available.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

# shared/ sits beside the repository (see its README); it is not part of it.
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "pipl" / "REQUIREMENTS.md"
RULES = Path(__file__).resolve().parent.parent / "resources" / "rules" / "pipl"

SEVERITIES = {"LAW": "law", "STD": "standard", "BP": "best_practice"}
RANK = {"best_practice": 0, "standard": 1, "law": 2}
CONDITION_IDS = {
    "cross_border_transfer", "collects_sensitive_pi", "collects_children_pi", "is_app",
    "uses_third_party_sdks", "shares_with_third_parties", "uses_entrusted_processors",
    "transfer_on_merger", "discloses_publicly", "automated_decisions", "uses_cookies_tracking",
    "offshore_processor", "large_scale_processor",
}
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
TOPIC_HEADING = re.compile(r"^## (\d+)\. `([a-z_]+)`: (.+)$", re.M)
ITEM_ROW = re.compile(r"^\| ([A-Z]+-\d+) \| (.+?) \| (.+?) \| (.+?) \|\s*$", re.M)


def _join(block: str) -> str:
    """Join wrapped lines: no space between CJK characters or after a broken hyphenated word."""
    out = ""
    for line in block.splitlines():
        line = line.strip()
        if not line:
            continue
        if out and not (CJK.match(line[0]) and CJK.match(out[-1])) and not re.search(r"[A-Za-z]-$", out):
            out += " "
        out += line
    return out


def _plain(text: str) -> str:
    """Drop markdown emphasis markers (**bold**, *italic*)."""
    text = text.replace("**", "")
    return re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)


def _section(body: str, label: str) -> str:
    match = re.search(r"\*\*" + label + r"\.\*\*\n?(.*?)\n\n", body + "\n\n", re.S)
    assert match, label
    return match.group(1)


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.is_file():
        pytest.skip("reference checklist REQUIREMENTS.md not available")
    text = REFERENCE.read_text(encoding="utf-8")
    headings = list(TOPIC_HEADING.finditer(text))
    lexicon_start = text.index("\n## 28.")
    topics = []
    for n, match in enumerate(headings):
        end = headings[n + 1].start() if n + 1 < len(headings) else lexicon_start
        body = text[match.end():end]
        signals = _section(body, "Wording signals")
        en_part, zh_part = re.split(r"^ZH:", signals, flags=re.M)
        red_flags = re.split(r"^\* ", _section(body, "Red flags").split("\n---")[0], flags=re.M)
        topics.append({
            "num": int(match.group(1)),
            "id": match.group(2),
            "title": match.group(3).strip(),
            "sources": _join(_section(body, "Sources")),
            "items": ITEM_ROW.findall(body),
            "rows": [m.group(0) for m in ITEM_ROW.finditer(body)],
            "en": re.findall(r'"([^"]+)"', _join(en_part.split("EN:", 1)[1])),
            "zh": re.findall(r'"([^"]+)"', _join(zh_part)),
            "red_flags": [_join(b) for b in red_flags if b.strip()],
        })
    lexicon_text = text[lexicon_start:text.index("\n## 29.")]
    lexicon = [line for line in lexicon_text.splitlines()
               if line.startswith("| ") and not line.startswith("| Pattern")]
    return {"topics": topics, "lexicon": lexicon, "text": text}


@pytest.fixture(scope="module")
def topics():
    return yaml.safe_load((RULES / "topics.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def red_flags():
    return yaml.safe_load((RULES / "red_flags_reference.yaml").read_text(encoding="utf-8"))


def _split_label(label: str) -> list[tuple[str, str]]:
    parts, depth, current = [], 0, ""
    i = 0
    while i < len(label):
        if label[i] == "(":
            depth += 1
        elif label[i] == ")":
            depth -= 1
        if depth == 0 and label.startswith(" / ", i):
            parts.append(current)
            current, i = "", i + 3
            continue
        current += label[i]
        i += 1
    parts.append(current)
    result = []
    for part in parts:
        match = re.fullmatch(r"(LAW|STD|BP)\b\s*(?:\((.*)\))?", part.strip())
        assert match, f"unparseable severity label {label!r}"
        result.append((match.group(1), match.group(2) or ""))
    return result


def expected_severity(label: str) -> str:
    """Primary severity for the policy text.

    One token: that token, whatever its qualifier ("BP (LAW where joint processing)" is BP).
    Several: the alternative about stating/publishing it in the policy if there is one
    ("LAW (duty) / BP (stating it)" is BP); otherwise the strongest alternative, ignoring
    alternatives that apply only above a threshold ("LAW (above threshold) / BP" is BP).
    """
    alternatives = _split_label(label)
    if len(alternatives) == 1:
        return SEVERITIES[alternatives[0][0]]
    stating = [tok for tok, qual in alternatives if re.search(r"stating|publishing", qual)]
    if stating:
        return SEVERITIES[stating[0]]
    rest = [SEVERITIES[tok] for tok, qual in alternatives
            if not re.search(r"above threshold|if applicable", qual)]
    return max(rest, key=RANK.get)


def expected_verify(row: str, basis: str, sources: str) -> bool:
    """⚠ in the row, or the basis cites something the reference marks ⚠ verify elsewhere."""
    if "⚠" in row:
        return True
    # §0.3: CSL article numbers (2016 text), SCM article numbers, CBDF Art. 10; SAM Art. 5 (§14).
    if re.search(r"\bCSL\b|\bSCM\b|CBDF (?:Art\. )?10\b|SAM (?:Art\. )?5\b|Standard Contract", basis):
        return True
    # §0.3: CPIP Arts. 11-21.
    for match in re.finditer(r"CPIP (?:Arts?\. )?(\d+)(?:–(\d+))?", basis):
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if any(11 <= n <= 21 for n in range(low, high + 1)):
            return True
    # SPEC clauses whose sub-items the topic's Sources paragraph flags with ⚠.
    for group in basis.split(";"):
        if group.strip().startswith("SPEC"):
            for clause in re.findall(r"§(\d+(?:\.\d+)*)", group):
                if re.search(r"SPEC[^;]*?§" + re.escape(clause) + r"\s*\([^)]*⚠", sources):
                    return True
    return False


def test_reference_parses(reference):
    assert len(reference["topics"]) == 27
    assert sum(len(t["items"]) for t in reference["topics"]) == 120
    assert len(reference["lexicon"]) == 21


def test_topics_match_reference_in_order(reference, topics):
    assert [t["id"] for t in topics] == [t["id"] for t in reference["topics"]]
    prefixes = dict(re.findall(r"^\| \d+ \| `([a-z_]+)` \| ([A-Z]+) \|$", reference["text"], re.M))
    assert len(prefixes) == 27
    for ref, topic in zip(reference["topics"], topics):
        assert topic["prefix"] == prefixes[ref["id"]]
        assert topic["title_en"] == ref["title"][0].upper() + ref["title"][1:]
        assert topic["title_zh"] and CJK.search(topic["title_zh"])
        assert topic["sources"].count("⚠") == ref["sources"].count("⚠"), ref["id"]
        assert "\n" not in topic["sources"]
        assert topic["signals"]["en"] == ref["en"], ref["id"]
        assert topic["signals"]["zh"] == ref["zh"], ref["id"]


def test_items_match_reference_verbatim(reference, topics):
    for ref, topic in zip(reference["topics"], topics):
        assert [i["code"] for i in topic["items"]] == [code for code, *_ in ref["items"]], ref["id"]
        for item, (code, question, label, basis) in zip(topic["items"], ref["items"]):
            assert item["id"] == f"{ref['id']}#{code}"
            assert item["code"].startswith(topic["prefix"] + "-")
            assert item["question"] == _plain(question), item["id"]
            assert item["basis"] == basis, item["id"]
            assert item["severity_label"] == label, item["id"]
    all_ids = [i["id"] for t in topics for i in t["items"]]
    assert len(all_ids) == len(set(all_ids)) == 120


def test_severity_is_consistent_with_label(topics):
    for topic in topics:
        for item in topic["items"]:
            assert item["severity"] in RANK, item["id"]
            first = re.match(r"(LAW|STD|BP)\b", item["severity_label"])
            assert first, item["id"]
            assert item["severity"] == expected_severity(item["severity_label"]), item["id"]
            if " / " not in item["severity_label"]:
                assert item["severity"] == SEVERITIES[first.group(1)], item["id"]


def test_verify_flags(reference, topics):
    for ref, topic in zip(reference["topics"], topics):
        for item, row, (_, _, _, basis) in zip(topic["items"], ref["rows"], ref["items"]):
            assert item["verify"] is expected_verify(row, basis, ref["sources"]), item["id"]
            if "⚠" in row:
                assert item["verify"] is True, item["id"]
            if item["verify"]:
                assert isinstance(item.get("verify_note"), str) and item["verify_note"].strip(), item["id"]
            else:
                assert "verify_note" not in item, item["id"]


def test_conditions(topics):
    conditions = yaml.safe_load((RULES / "conditions.yaml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in conditions]
    assert len(ids) == len(set(ids))
    assert set(ids) == CONDITION_IDS
    assert all(c["description"].strip() for c in conditions)
    for topic in topics:
        for item in topic["items"]:
            condition = item["applies_if"]
            assert condition is None or condition in CONDITION_IDS, item["id"]
            if condition is None:
                assert item["not_applicable_reason"] is None, item["id"]
            else:
                assert item["not_applicable_reason"].strip(), item["id"]


def test_topic_level_items_are_unconditional(topics):
    items = {i["code"]: i for t in topics for i in t["items"]}
    # "Does the policy say whether ..." questions must always be asked.
    for code in ("CB-1", "MI-1", "AM-1", "CK-1", "EP-1", "PD-1", "SH-6"):
        assert items[code]["applies_if"] is None, code
    assert items["CB-2"]["applies_if"] == "cross_border_transfer"
    assert items["SP-3"]["applies_if"] == "collects_sensitive_pi"
    assert items["MI-2"]["applies_if"] == "collects_children_pi"
    assert items["OR-1"]["applies_if"] == "offshore_processor"


def test_red_flag_reference_covers_every_bullet_and_lexicon_row(reference, red_flags):
    topic_ids = {t["id"] for t in reference["topics"]}
    for ref in reference["topics"]:
        entries = [f for f in red_flags if f["source"] == f"§{ref['num']}"]
        assert [f["text_en"] for f in entries] == [_plain(b) for b in ref["red_flags"]], ref["id"]
        for entry in entries:
            assert entry["topic"] == ref["id"]
            quoted = [s for s in re.findall(r'"([^"]+)"', entry["text_en"]) if CJK.search(s)]
            assert entry["text_zh"] == quoted, entry["id"]
    lexicon = [f for f in red_flags if f["source"] == "§28"]
    assert len(lexicon) == len(reference["lexicon"])
    for entry, row in zip(lexicon, reference["lexicon"]):
        en, zh, why, topic = [c.strip() for c in row.strip().strip("|").split(" | ")]
        assert entry["text_en"] == en
        assert entry["why"] == why
        assert entry["text_zh"] == re.findall(r'"([^"]+)"', zh)
        assert [entry["topic"], *entry.get("related_topics", [])] == [t.strip() for t in topic.split("/")]
    ids = [f["id"] for f in red_flags]
    assert len(ids) == len(set(ids))
    for entry in red_flags:
        assert entry["topic"] in topic_ids
        assert entry["why"].strip() and entry["basis"].strip(), entry["id"]
