"""Mail and SMS text from the template files in ``templates/`` (``<name>.txt``, ``<name>.html``; the first line
of the text file is ``Subject: ...``).

Templates are ``string.Template`` files (``$organization``, ``${link}``): no logic in them, so nothing in a
template can run or skip escaping. The HTML file gets every value escaped (``html.escape``, quotes too) before
it is put in; the text file gets the values as they are. A value is text a person or another service wrote (a
well's name, an alert's message, an organization's name), never markup. A missing value is an error, not a
blank.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

SMS_LIMIT = 320  # two concatenated SMS segments of 160 GSM characters


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@cache
def _template(name: str) -> str:
    return resources.files("wellflow_notifications").joinpath("templates", name).read_text(encoding="utf-8")


def render(name: str, values: dict[str, str], *, html_blocks: dict[str, str] | None = None) -> Rendered:
    """``name``'s mail with ``values``. ``html_blocks`` are HTML fragments the caller built from escaped values
    (a digest's list); they are put into the HTML as they are and must not hold unescaped text."""
    text_template = _template(f"{name}.txt")
    first, _, body = text_template.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"templates/{name}.txt must start with a 'Subject: ' line")
    subject = Template(first.removeprefix("Subject: ")).substitute(values)
    text = Template(body.lstrip("\n")).substitute(values)
    escaped = {key: html.escape(value, quote=True) for key, value in values.items()}
    page = Template(_template(f"{name}.html")).substitute({**escaped, **(html_blocks or {})})
    return Rendered(subject=" ".join(subject.split()), text=text, html=page)


def sms_text(organization: str, title: str, link: str) -> str:
    """One SMS: who it is from, what happened, where to look; cut to two segments."""
    message = f"WellFlow {organization}: {title} {link}".strip()
    return message if len(message) <= SMS_LIMIT else message[: SMS_LIMIT - 1] + "…"


def escape(value: str) -> str:
    return html.escape(value, quote=True)
