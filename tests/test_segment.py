import pytest

from reviewer.core.document import Document, TextBuilder
from reviewer.core.loaders import load
from reviewer.core.segment import numbering, segment


def make_doc(blocks, lang="en"):
    builder = TextBuilder()
    for kind, text, level in blocks:
        builder.add(kind, text, level=level)
    return Document(path="x", format="docx", text=builder.text(), blocks=tuple(builder.blocks),
                    sha256="", lang=lang)


@pytest.mark.parametrize("text,style", [
    ("1. Scope", "number"), ("1.1 Partners", "decimal2"), ("2.3.1 Cookies", "decimal3"),
    ("(1) Name", "paren_number"), ("1) Name", "number_paren"), ("I. Scope", "roman"),
    ("(I) Scope", "roman_paren"), ("a. item", "letter"), ("一、我们如何收集", "cn_comma"),
    ("（一）注册", "cn_paren"), ("第一条 总则", "article"), ("第一章 总则", "chapter"),
    ("4.\u00a0Sharing", "number"),
])
def test_numbering_styles(text, style):
    assert numbering(text)[0] == style


def test_plain_sentence_has_no_numbering():
    assert numbering("We collect your name.") is None


def test_section_paths_follow_numbering():
    doc = make_doc([
        ("paragraph", "4. Sharing", 0),
        ("paragraph", "We share data with partners.", 0),
        ("paragraph", "4.1 Partners", 0),
        ("paragraph", "Our partners include Umeng. They analyse usage.", 0),
        ("paragraph", "5. Your rights", 0),
        ("paragraph", "You may access your data.", 0),
    ])
    segs = segment(doc)
    by_text = {doc.text[s.start:s.end]: s for s in segs}
    assert by_text["4.1 Partners"].kind == "heading"
    assert by_text["They analyse usage."].section == "4. Sharing › 4.1 Partners"
    assert by_text["You may access your data."].section == "5. Your rights"


def test_chinese_numbering_and_sentence_ends():
    doc = make_doc([
        ("paragraph", "第一章 总则", 0),
        ("paragraph", "一、我们如何收集和使用您的个人信息", 0),
        ("paragraph", "（一）注册登录", 0),
        ("paragraph", "我们收集您的手机号码；用于注册账号。您可以拒绝！是否同意？", 0),
        ("paragraph", "二、我们如何保存您的个人信息", 0),
        ("paragraph", "我们将信息存储在中国境内。", 0),
    ], lang="zh")
    segs = segment(doc)
    sentences = [doc.text[s.start:s.end] for s in segs if s.kind == "sentence"]
    assert sentences[:4] == ["我们收集您的手机号码；", "用于注册账号。", "您可以拒绝！", "是否同意？"]
    assert segs[3].section == "第一章 总则 › 一、我们如何收集和使用您的个人信息 › （一）注册登录"
    assert segs[-1].section == "第一章 总则 › 二、我们如何保存您的个人信息"


def test_styled_headings_give_levels():
    doc = make_doc([
        ("heading", "How we share", 1),
        ("heading", "Partners", 2),
        ("paragraph", "We share with Tencent.", 0),
        ("heading", "Your rights", 1),
        ("paragraph", "You may delete data.", 0),
    ])
    segs = segment(doc)
    assert segs[2].section == "How we share › Partners"
    assert segs[4].section == "Your rights"


def test_abbreviations_do_not_end_sentences():
    doc = make_doc([("paragraph", "Benewake (Beijing) Co., Ltd. collects data, e.g. your name, "
                                  "phone, etc., for login. We keep it for 3 years.", 0)])
    sentences = [doc.text[s.start:s.end] for s in segment(doc)]
    assert sentences == ["Benewake (Beijing) Co., Ltd. collects data, e.g. your name, phone, etc., for login.",
                         "We keep it for 3 years."]


def test_list_items_know_their_lead_in():
    doc = make_doc([
        ("paragraph", "We may share your information in the following cases:", 0),
        ("paragraph", "1) with your consent;", 0),
        ("paragraph", "2) as required by law.", 0),
    ])
    segs = segment(doc)
    assert segs[1].kind == "list_item" and segs[1].lead == segs[0].id
    assert segs[2].lead == segs[0].id


def test_shared_policy_sections(fixtures):
    doc = load(fixtures / "benewake.txt")
    segs = segment(doc)
    store = next(s for s in segs if "transfer your personal information overseas" in doc.text[s.start:s.end])
    assert store.section == "2. How We Store Your Personal Information"
    for s in segs:
        assert doc.text[s.start:s.end].strip() == doc.text[s.start:s.end].strip()
        assert 0 <= s.start < s.end <= len(doc.text)


def test_table_of_contents_does_not_open_sections():
    doc = make_doc([
        ("paragraph", "This policy explains the following:", 0),
        ("paragraph", "1. How we collect information", 0),
        ("paragraph", "2. How we store information", 0),
        ("paragraph", "3. Contact us", 0),
        ("paragraph", "1. How we collect information", 0),
        ("paragraph", "We collect your name.", 0),
        ("paragraph", "2. How we store information", 0),
        ("paragraph", "We store data in China.", 0),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs[1:4]] == ["contents"] * 3
    assert segs[4].kind == "heading"
    stored = next(s for s in segs if doc.text[s.start:s.end] == "We store data in China.")
    assert stored.section == "2. How we store information"


def test_label_with_value_is_not_a_heading():
    doc = make_doc([
        ("paragraph", "8. Contact us", 0),
        ("paragraph", "1. Email: privacy@example.com", 0),
        ("paragraph", "2.注册地址：北京市海淀区中关村大街1号", 0),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs] == ["heading", "list_item", "list_item"]
    assert segs[2].section == "8. Contact us"


def test_numbered_case_ending_in_de_is_not_a_heading():
    doc = make_doc([
        ("paragraph", "5. 征得授权同意的例外", 0),
        ("paragraph", "1. 与国家安全、国防安全有关的", 0),
        ("paragraph", "2. 与刑事侦查、起诉和审判有关的", 0),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs] == ["heading", "list_item", "list_item"]
    assert segs[2].section == "5. 征得授权同意的例外"


def test_address_abbreviations_do_not_end_sentences():
    doc = make_doc([("paragraph", "Our office is at Building 2, No. 39 Xueyuan Road, Beijing. Write to us.", 0)])
    assert len(segment(doc)) == 2


@pytest.mark.parametrize("lang,name", [("en", "baiinfo.txt"), ("en", "bench3d.txt")])
def test_sentence_component_agrees_with_spacys_sentencizer(fixtures, lang, name):
    import spacy
    from spacy.attrs import ORTH

    from reviewer.core.segment import ABBREVIATIONS, pipeline

    reference = spacy.blank(lang)
    reference.add_pipe("sentencizer")
    for abbreviation in ABBREVIATIONS:
        reference.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    paragraphs = [p for p in (fixtures / name).read_text(encoding="utf-8").split("\n") if p.strip()]
    ours = [[t.is_sent_start for t in d] for d in pipeline(lang).pipe(paragraphs)]
    theirs = [[t.is_sent_start for t in d] for d in reference.pipe(paragraphs)]
    assert ours == theirs


def _zh_reference():
    import spacy

    from reviewer.core.segment import ZH_SENTENCE_ENDS

    reference = spacy.blank("zh")
    reference.add_pipe("sentencizer", config={"punct_chars": ZH_SENTENCE_ENDS})
    return reference


def _sentence_starts(doc) -> list[int]:
    return [t.idx for t in doc if t.is_sent_start]


def test_chinese_sentences_are_split_where_spacys_sentencizer_splits():
    from reviewer.core.segment import zh_sentence_starts

    text = "我们收集您的手机号码；用于注册。“您可以拒绝！”是否同意？好的!继续"
    starts = zh_sentence_starts(text)
    assert [text[s:s + 2] for s in starts] == ["我们", "用于", "您可", "是否", "好的", "继续"]
    assert starts == _sentence_starts(_zh_reference()(text))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sentence_component_agrees_with_spacys_sentencizer_on_random_text(lang):
    import random

    import spacy

    from reviewer.core.segment import pipeline, zh_sentence_starts

    if lang == "zh":
        reference = _zh_reference()
        alphabet = ["我", "们", "。", "；", "！", "？", "，", "“", "”", "(", ")", " ", "  ", "\n", "\u3000",
                    "a", "1", "!", ";", "、", "…"]
    else:
        reference = spacy.blank(lang)
        reference.add_pipe("sentencizer")
        alphabet = ["We", "share", "data", ".", "!", "?", ",", ";", '"', ")", "(", "...", "1", " "]
    rng = random.Random(11)
    joiners = ["", " "] if lang == "zh" else [" "]
    texts = [rng.choice(joiners).join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))
             for _ in range(2000)]
    if lang == "zh":
        ours = [zh_sentence_starts(text) for text in texts]
    else:
        ours = [_sentence_starts(d) for d in pipeline(lang).pipe(texts)]
    assert ours == [_sentence_starts(d) for d in reference.pipe(texts)]


def test_an_overview_list_of_questions_is_read_as_contents():
    from helpers import make_document

    overview = ["What personal information we collect.", "How we use your information.",
                "With whom we may share it.", "How you can correct it."]
    body = "We collect your name and e-mail address when you register, and use them to run your account."
    segments = segment(make_document([("paragraph", line) for line in overview] + [("paragraph", body)]))
    assert [s.kind for s in segments] == ["contents"] * 4 + ["sentence"]
    two = segment(make_document([("paragraph", line) for line in overview[:2]] + [("paragraph", body)]))
    assert [s.kind for s in two] == ["sentence"] * 3


def test_whole_sentence_styled_as_heading_is_read_as_a_sentence():
    doc = make_doc([
        ("heading", "VI. How we manage personal information of minors", 1),
        ("heading", "1. We treat all minors under the age of fourteen as children.", 1),
        ("heading", "七、我们如何保护您的个人信息", 1),
        ("heading", "1. 我们会将您的生物识别信息与个人身份信息分开存储。", 1),
        ("heading", "5. How we store your information.", 1),
        ("heading", "1. After obtaining your explicit consent;", 2),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs] == ["heading", "list_item", "heading", "list_item", "heading", "list_item"]
    assert segs[1].section == "VI. How we manage personal information of minors"
    assert segs[3].section.endswith("七、我们如何保护您的个人信息")


def test_contents_last_entry_that_continues_the_numbering_is_contents():
    doc = make_doc([
        ("paragraph", "本政策将帮助您了解以下内容：", 0),
        ("paragraph", "1.我们如何收集和使用您的个人信息", 0),
        ("paragraph", "2.我们如何共享您的个人信息", 0),
        ("paragraph", "3.本政策解释及争议解决", 0),
        ("paragraph", "本政策具体条款如下：", 0),
        ("paragraph", "一、我们如何收集和使用您的个人信息", 0),
        ("paragraph", "我们会收集您的手机号码。", 0),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs[1:4]] == ["contents"] * 3
    assert segs[6].section == "一、我们如何收集和使用您的个人信息"
    # a table of contents followed by the first section heading keeps that heading
    doc = make_doc([
        ("paragraph", "1. What we collect", 0),
        ("paragraph", "2. How we share it", 0),
        ("paragraph", "3. Your rights", 0),
        ("paragraph", "1. What we collect", 0),
        ("paragraph", "We collect your email address.", 0),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs] == ["contents", "contents", "contents", "heading", "sentence"]


def test_plain_lines_that_open_later_sections_are_contents():
    toc = ["Information We Collect", "How We Use Your Information", "Sharing of Your Information",
           "Changes to Our Privacy Policy"]
    blocks = ([("paragraph", "Click on the links below to jump to each section of this Policy:", 0)]
              + [("paragraph", line, 0) for line in toc]
              + [("paragraph", "1. INFORMATION WE COLLECT", 0), ("paragraph", "We collect your name.", 0),
                 ("paragraph", "How We Use Your Information We use your name to run your account.", 0),
                 ("paragraph", "Sharing of Your Information", 0), ("paragraph", "We do not sell it.", 0),
                 ("paragraph", "Changes to Our Privacy Policy", 0), ("paragraph", "We may change it.", 0)])
    segs = segment(make_doc(blocks))
    assert [s.kind for s in segs[:6]] == ["sentence"] + ["contents"] * 4 + ["heading"]
    assert "contents" not in [s.kind for s in segs[6:]]


def test_a_list_repeated_word_for_word_is_not_contents():
    items = ["（1）与国家安全、国防安全有关的", "（2）与公共安全、公共卫生有关的", "（3）与犯罪侦查、起诉有关的"]
    blocks = ([("paragraph", "以下情形中，我们收集您的信息无需征得您的同意：", 0)] + [("paragraph", t, 0) for t in items]
              + [("paragraph", "以下情形中，我们共享您的信息无需征得您的同意：", 0)] + [("paragraph", t, 0) for t in items])
    assert "contents" not in [s.kind for s in segment(make_doc(blocks, "zh"))]


def test_items_whose_bullets_were_lost_follow_their_lead_in():
    doc = make_doc([
        ("paragraph", "We may use information that we receive to:", 0),
        ("paragraph", "help you efficiently access your information after you sign in", 0),
        ("paragraph", "Administer our loyalty programs", 0),
        ("paragraph", "diagnose or fix technology problems;", 0),
        ("paragraph", "We do not sell your information to anyone.", 0),
    ])
    segs = segment(doc)
    assert [s.kind for s in segs] == ["sentence", "list_item", "list_item", "list_item", "sentence"]
    assert [s.lead for s in segs[1:4]] == [segs[0].id] * 3
    assert segs[4].lead is None
