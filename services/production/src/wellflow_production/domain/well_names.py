"""How production names a well in its messages and lists: the registry's name with the well's number once.

The registry keeps a name ("Whitfield") and a number ("10") apart, but many operators name a well with its
number already ("Whitfield 10"); joining the two blindly wrote "Whitfield 10 10" into every alert.
"""

from __future__ import annotations


def well_label(name: str, number: str | None) -> str:
    """``name`` followed by ``number`` unless the name already ends with that number (compared ignoring case)."""
    name = " ".join(name.split())
    number = (number or "").strip()
    if not number:
        return name
    words = name.split(" ")
    if words and words[-1].casefold() == number.casefold():
        return name
    return f"{name} {number}"
