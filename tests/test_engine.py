"""How the engine ties clauses to topics, and how each finding explains itself."""
import pytest

from helpers import analyse_text

from reviewer.core.engine import HOW_CONTEXT, HOW_CUE, HOW_FOLLOW, HOW_HEADING, HOW_LEAD


def finding(analysis, needle, topic):
    return next(f for f in analysis.findings if needle in f.text and f.topic == topic)


def test_each_finding_says_how_it_was_found():
    analysis = analyse_text([
        ("paragraph", "We retain your personal information for three years."),
        ("heading", "5. How we store your information"),
        ("paragraph", "Backups are made every night."),
        ("paragraph", "We may share your information with third parties in the following cases:"),
        ("list_item", "1) where you have agreed;"),
    ], "en")
    direct = finding(analysis, "retain your personal information", "retention")
    assert direct.how == HOW_CUE and direct.rule.startswith("retention/")
    assert direct.matched and all(direct.start <= m.start < m.end <= direct.end for m in direct.matched)
    assert finding(analysis, "Backups are made", "retention").how == HOW_CONTEXT
    listed = finding(analysis, "where you have agreed", "sharing_third_parties")
    assert listed.how == HOW_LEAD
    assert listed.matched and all(m.end <= listed.start for m in listed.matched)


def test_weak_cue_alone_does_not_make_a_finding():
    analysis = analyse_text([("paragraph", "Backups are made every night.")], "en")
    assert not any(f.topic == "retention" for f in analysis.findings)


def test_a_sentence_that_refers_back_borrows_the_topic_of_the_one_before():
    limit = "They are not authorized to use your information for any other purpose."
    after = analyse_text([("paragraph", "We engage outside vendors to host our servers. " + limit)], "en")
    follows = finding(after, "not authorized", "entrusted_processing")
    assert follows.how == HOW_FOLLOW and follows.items == ("entrusted_processing#EP-2",)
    for blocks in ([("paragraph", "We publish a newsletter every week. " + limit)],  # the sentence before is on another topic
                   [("paragraph", "We engage outside vendors to host our servers."), ("paragraph", limit)]):  # another paragraph
        assert not [f for f in analyse_text(blocks, "en").findings
                    if f.topic == "entrusted_processing" and "not authorized" in f.text]
    zh = analyse_text([("paragraph", "我们会委托云服务商存储您的信息。上述服务商已与我们签署保密协议。")], "zh")
    assert finding(zh, "保密协议", "entrusted_processing").how == HOW_FOLLOW
    alone = analyse_text([("paragraph", "我们会向您发送通知。上述服务商已与我们签署保密协议。")], "zh")
    assert not [f for f in alone.findings if f.topic == "entrusted_processing" and "保密协议" in f.text]


def test_negative_statement_still_addresses_its_topic():
    analysis = analyse_text([("paragraph", "We will not transfer your personal information overseas.")], "en")
    cross = finding(analysis, "overseas", "cross_border")
    assert cross.negated
    assert "cross_border_transfer" not in analysis.conditions


def test_first_pages_analysis_matches_the_whole_one_there(fixtures):
    from reviewer.core.loaders import load
    from reviewer.core.review import first_pages_analysis, review_document

    assert first_pages_analysis(load(fixtures / "benewake.txt")) is None
    document = load(fixtures / "benewake.pdf")
    assert document.pages > 2
    preview = first_pages_analysis(document, pages=2)
    whole = review_document(document).analysis
    assert preview.findings and all(document.page_at(f.start) <= 2 for f in preview.findings)
    on_first_pages = {(f.start, f.end, f.topic) for f in whole.findings if document.page_at(f.start) <= 2}
    body = {(f.start, f.end, f.topic) for f in preview.findings if f.how != HOW_HEADING}
    assert body and body <= on_first_pages
    assert {(r.rule, r.start) for r in preview.red_flags} <= {(r.rule, r.start) for r in whole.red_flags}


def test_results_serialise_like_dataclasses_asdict(fixtures):
    from dataclasses import asdict

    from reviewer.core.loaders import load
    from reviewer.core.results import plain
    from reviewer.core.review import review_document

    analysis = review_document(load(fixtures / "baiinfo.txt")).analysis
    for group in (analysis.findings, analysis.checklist, analysis.red_flags, analysis.facts, (analysis.ruleset,)):
        assert group
        for result in group:
            assert plain(result) == asdict(result)


def test_a_draft_finding_has_the_fields_of_a_finding_after_its_id():
    from dataclasses import fields

    from reviewer.core.engine import _Draft
    from reviewer.core.results import Finding

    assert ("id",) + _Draft._fields == tuple(f.name for f in fields(Finding))


def test_a_token_match_does_not_run_on_into_the_next_sentence():
    # "we will collect ... information" in one sentence and "to ensure" in the next
    first = "When you use our products, we will collect your network IP address."
    analysis = analyse_text([("paragraph", first + " We collect the information to ensure the security of your "
                                           "account.")], "en")
    boundary = next(f.start for f in analysis.findings) + len(first)
    assert analysis.findings
    for f in analysis.findings:
        for m in f.matched:
            assert not (m.start < boundary < m.end), f"{f.rule} matched across sentences: {m.text!r}"


@pytest.mark.parametrize("lang, lead, item", [
    ("zh", "尽管有上述约定，但在以下情形中，我们将无法响应您的请求：", "（1）与国家安全、国防安全有关的；"),
    ("en", "In the following circumstances, we may not be able to respond to your request:",
     "(1) Directly related to national security and national defense security;"),
])
def test_a_rules_unless_section_also_reads_a_list_items_lead_in(lang, lead, item):
    """The cases in which a request goes unanswered are about rights, not about the
    legal bases of processing, though they repeat the statutory exceptions' words."""
    def topics(lead_in):
        analysis = analyse_text([("paragraph", lead_in), ("paragraph", item)], lang)
        return {f.topic for f in analysis.findings if item[4:] in f.text}

    assert topics(lead) == {"individual_rights"}
    no_consent = ("在以下情形中，我们收集、使用您的个人信息无需征得您的同意：" if lang == "zh" else
                  "In the following cases, we may collect and use your personal information without your consent:")
    assert "legal_basis_exceptions" in topics(no_consent)


def test_a_findings_basis_names_each_source_once():
    analysis = analyse_text([("paragraph", "We will keep your personal information for three years, after which we "
                                           "will delete or anonymise it.")], "en")
    retention = finding(analysis, "keep your personal information", "retention")
    parts = retention.basis.split("; ")
    assert len(retention.items) > 1 and len(parts) == len(set(parts)), retention.basis
