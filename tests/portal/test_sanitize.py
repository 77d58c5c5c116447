"""The sanitiser keeps formatting and drops anything that could run code or load content.

The fuzz test builds thousands of hostile documents (nested and unclosed tags, event handlers,
obfuscated ``javascript:`` URLs, stray ``<`` and entities), cleans each one, parses the result
again with the standard library's HTML parser and checks what survived.
"""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.sanitize import ALLOWED_TAGS, clean_html, strip_tags

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "form", "svg", "math", "base"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text outside tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> Collector:
    collector = Collector()
    collector.feed(markup)
    collector.close()
    return collector


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see: control characters and spaces inside are ignored."""
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url)).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", squeezed)
    return match.group(1) if match else None


def assert_safe(markup: str) -> None:
    for tag, attrs in parse(markup).tags:
        assert tag in ALLOWED_TAGS, (tag, markup)
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, markup)
            assert name != "style", markup
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                assert url_scheme(value or "") in SAFE_SCHEMES | {None}, (value, markup)


# Building blocks of hostile documents -----------------------------------------------------------

TAGS = sorted(
    ALLOWED_TAGS | FORBIDDEN_TAGS | {"img", "div", "span", "video", "a", "table", "input"}
)
URLS = [
    "https://example.jp/",
    "/cases/1/",
    "mailto:someone@example.jp",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
]
ATTRIBUTES = st.one_of(
    st.sampled_from(["href", "src", "action", "formaction", "xlink:href"]).flatmap(
        lambda name: st.sampled_from(URLS).map(lambda url: (name, url))
    ),
    st.tuples(
        st.sampled_from(["onclick", "onerror", "onload", "OnMouseOver", "style", "title", "class"]),
        st.sampled_from(["alert(1)", "color:red", "x", "expression(alert(1))", ""]),
    ),
)
TEXT = st.lists(
    st.sampled_from(
        list("相談支援 abc<>&\"'/=;:-") + ["&lt;", "&amp;", "&#60;", "\n", "<!--", "-->"]
    ),
    max_size=20,
).map("".join)


def attribute_markup(pair) -> str:
    name, value = pair
    quote = '"' if '"' not in value else "'"
    return f" {name}={quote}{value}{quote}"


@st.composite
def element(draw, depth=0):
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(attribute_markup(a) for a in draw(st.lists(ATTRIBUTES, max_size=3)))
    children = draw(
        st.lists(
            TEXT if depth >= 3 else st.one_of(TEXT, element(depth=depth + 1)),
            max_size=3,
        )
    )
    closed = draw(st.booleans())
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


documents = st.lists(st.one_of(TEXT, element()), min_size=1, max_size=5).map("".join)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_fuzz_nothing_dangerous_survives(document):
    cleaned = clean_html(document)
    assert_safe(cleaned)
    assert clean_html(cleaned) == cleaned  # stable: cleaning again changes nothing


# Behaviour a writer notices ---------------------------------------------------------------------


def test_formatting_and_links_are_kept():
    source = (
        '<p>相談者は<strong>技能実習</strong>で来日。<a href="https://example.jp/x">資料</a></p>'
    )
    cleaned = clean_html(source)
    assert "<strong>技能実習</strong>" in cleaned
    assert 'href="https://example.jp/x"' in cleaned
    assert 'rel="noopener noreferrer nofollow ugc"' in cleaned


def test_scripts_and_styles_go_with_their_content():
    cleaned = clean_html("<p>本文</p><script>alert('x')</script><style>p{}</style>")
    assert cleaned == "<p>本文</p>"


def test_dangerous_links_lose_their_address_but_keep_their_text():
    cleaned = clean_html('<a href="javascript:alert(1)" onclick="x()">こちら</a>')
    assert "javascript" not in cleaned and "onclick" not in cleaned
    assert "こちら" in cleaned


def test_unknown_tags_are_unwrapped_and_text_escaped():
    assert clean_html("<div><span>1 < 2</span></div>") == "1 &lt; 2"


def test_empty_input():
    assert clean_html("") == "" and clean_html(None) == ""


def test_strip_tags_keeps_only_the_text():
    assert strip_tags("<p>名前は<b>伏せます</b></p><script>x</script>") == "名前は伏せます"
