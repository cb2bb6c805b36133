"""A document's metadata checked: its type from the list, links by kind and id, tags, dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.kernel import invalid

from ..domain.kinds import DOCUMENT_TYPES, LINK_KINDS, MAX_LINKS, clean_tags

MAX_TITLE = 200


def check_metadata(data: Mapping[str, Any], *, prefix: str = "body", partial: bool = False) -> dict[str, Any]:
    """The fields of ``data`` a document keeps, checked; 422 naming the first bad field."""
    out: dict[str, Any] = {}
    if "title" in data or not partial:
        title = " ".join(str(data.get("title") or "").split())
        if not title:
            raise invalid(f"{prefix}.title", "give the document a title")
        if len(title) > MAX_TITLE:
            raise invalid(f"{prefix}.title", f"at most {MAX_TITLE} characters")
        out["title"] = title
    if "document_type" in data or not partial:
        kind = data.get("document_type")
        if kind not in DOCUMENT_TYPES:
            raise invalid(f"{prefix}.document_type", f"one of {', '.join(DOCUMENT_TYPES)}")
        out["document_type"] = kind
    if "tags" in data or not partial:
        try:
            out["tags"] = clean_tags(list(data.get("tags") or []))
        except ValueError as exc:
            raise invalid(f"{prefix}.tags", str(exc)) from None
    if "links" in data or not partial:
        out["links"] = check_links(list(data.get("links") or []), prefix=prefix)
    if "description" in data or not partial:
        description = str(data.get("description") or "")
        if len(description) > 2000:
            raise invalid(f"{prefix}.description", "at most 2000 characters")
        out["description"] = description
    for name in ("expires_on", "retain_until"):
        if name in data or not partial:
            value = data.get(name)
            if value is not None and not isinstance(value, date):
                try:
                    value = date.fromisoformat(str(value))
                except ValueError:
                    raise invalid(f"{prefix}.{name}", "a date: YYYY-MM-DD") from None
            out[name] = value
    return out


def check_links(links: list[Any], *, prefix: str = "body") -> list[dict[str, Any]]:
    if len(links) > MAX_LINKS:
        raise invalid(f"{prefix}.links", f"at most {MAX_LINKS} links")
    out: list[dict[str, Any]] = []
    for index, link in enumerate(links):
        if not isinstance(link, Mapping):
            raise invalid(f"{prefix}.links[{index}]", "a link is {kind, id}")
        kind = link.get("kind")
        if kind not in LINK_KINDS:
            raise invalid(f"{prefix}.links[{index}].kind", f"one of {', '.join(LINK_KINDS)}")
        try:
            target = link["id"] if isinstance(link.get("id"), UUID) else UUID(str(link.get("id")))
        except ValueError:
            raise invalid(f"{prefix}.links[{index}].id", "the linked thing's id (a UUID)") from None
        pair = {"kind": kind, "target_id": target}
        if pair not in out:
            out.append(pair)
    return out


def public_links(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"kind": link["kind"], "id": link.get("id", link.get("target_id"))} for link in links]
