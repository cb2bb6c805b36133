"""What a document may be, and what in the other services it may be linked to."""

from __future__ import annotations

DOCUMENT_TYPES: tuple[str, ...] = (
    "lease",
    "title_opinion",
    "division_order",
    "permit",
    "afe",
    "joa",
    "invoice",
    "run_ticket",
    "photo",
    "report",
    "other",
)

# kind -> the service that owns it; a link is (kind, id), never checked against that service synchronously
# (documents keeps no copy of it): the id is the other service's, the console follows it.
LINK_KINDS: dict[str, str] = {
    "lease": "wells",
    "well": "wells",
    "permit": "wells",
    "afe": "accounting",
    "partner": "accounting",
    "run_ticket": "production",
    "reading": "production",
    "form_pr_version": "compliance",
}

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_LINKS = 50


def clean_tags(tags: list[str]) -> list[str]:
    """Tags trimmed, lower-cased and de-duplicated in their order; ``ValueError`` names a bad one."""
    out: list[str] = []
    for tag in tags:
        cleaned = " ".join(tag.split()).lower()
        if not cleaned:
            raise ValueError("a tag may not be empty")
        if len(cleaned) > MAX_TAG_LENGTH:
            raise ValueError(f"a tag is at most {MAX_TAG_LENGTH} characters: {cleaned[:20]}...")
        if cleaned not in out:
            out.append(cleaned)
    if len(out) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    return out
