"""The only place that cleans HTML written outside the Wagtail editor (front-end forms).

Wagtail's own rich-text fields go through Wagtail's whitelister; everything else a member types as
rich text (case studies, comments) passes through :func:`clean_html` before it is stored and again
before it is shown. It keeps a small set of formatting tags, links to ``http``, ``https`` and
``mailto`` addresses (and relative links), and drops everything else: scripts and styles with
their content, frames, objects, forms, event-handler and ``style`` attributes, comments, and
``javascript:`` or ``data:`` URLs.
"""

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "em",
        "h3",
        "h4",
        "i",
        "li",
        "ol",
        "p",
        "strong",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements removed together with what they contain, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "textarea", "title"})
LINK_REL = "noopener noreferrer nofollow ugc"


def _clean_once(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def clean_html(html: str | None) -> str:
    """Safe HTML from untrusted input. Cleaning twice makes the result stable: nested links are
    only fully resolved by a second pass, and ``clean_html(clean_html(x)) == clean_html(x)``."""
    if not html:
        return ""
    return _clean_once(_clean_once(str(html)))


def strip_tags(html: str | None) -> str:
    """The text of ``html`` with every tag removed (entities stay escaped)."""
    if not html:
        return ""
    return nh3.clean(str(html), tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
