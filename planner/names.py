"""Variable and constraint names: one helper, so every name carries real ids.

Solvers and LP files accept only a small alphabet, and PuLP rewrites some characters
itself; ids may hold any Unicode. ASCII punctuation becomes ``_`` and any other
character its code point (``社`` -> ``u793e``), so Chinese ids stay distinguishable;
where two ids still reduce to the same text, the later one gets a short digest. The
registry maps every name back to its family and original ids, which is how an
infeasibility report names real rooms and systems.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def sanitise(text: str) -> str:
    parts = []
    for char in text:
        if char.isascii():
            parts.append(char if char.isalnum() or char in "_." else "_")
        else:
            parts.append(f"u{ord(char):x}")
    return "".join(parts)


@dataclass
class NameRegistry:
    """Builds names ``family_id1_id2...`` (sanitised) and remembers what each one means."""

    meaning: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    texts: dict[object, tuple[str, str]] = field(default_factory=dict)
    """Each id (a str, a Period, a year) with its text and its sanitised text: the same ids recur in
    thousands of names, and sanitising them character by character took a sixth of a province's build."""

    def __call__(self, family: str, *ids: object) -> str:
        texts = self.texts
        parts: list[str] = []
        pieces = [family]
        for key in ids:
            known = texts.get(key)
            if known is None:
                text = str(key)
                known = texts[key] = (text, sanitise(text))
            parts.append(known[0])
            pieces.append(known[1])
        name = "_".join(pieces)
        meaning = (family, tuple(parts))
        known_meaning = self.meaning.get(name)
        if known_meaning is not None and known_meaning != meaning:
            digest = hashlib.blake2s("\x00".join(meaning[1]).encode("utf-8"), digest_size=3).hexdigest()
            name = f"{name}_h{digest}"
        self.meaning[name] = meaning
        return name

    def explain(self, name: str) -> tuple[str, tuple[str, ...]] | None:
        return self.meaning.get(name)
