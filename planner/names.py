"""Variable and constraint names: one helper, so every name carries real ids.

Solvers and LP files accept only a small alphabet, and PuLP rewrites some
characters itself; ids may hold any Unicode. Each id is reduced to ``[A-Za-z0-9_.]``
and, when that changed it, suffixed with a short digest so two ids never collide.
The registry maps every name back to its family and the original ids, which is
how an infeasibility report names real rooms and systems.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_UNSAFE = re.compile(r"[^A-Za-z0-9_.]")


def sanitise(text: str) -> str:
    cleaned = _UNSAFE.sub("_", text)
    if cleaned == text:
        return text
    digest = hashlib.blake2s(text.encode("utf-8"), digest_size=3).hexdigest()
    return f"{cleaned}~{digest}".replace("~", "_h")


@dataclass
class NameRegistry:
    """Builds names ``family[id1,id2,...]`` (sanitised) and remembers what each one means."""

    meaning: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def __call__(self, family: str, *ids: object) -> str:
        parts = tuple(str(i) for i in ids)
        name = family + ("_" + "_".join(sanitise(p) for p in parts) if parts else "")
        self.meaning[name] = (family, parts)
        return name

    def explain(self, name: str) -> tuple[str, tuple[str, ...]] | None:
        return self.meaning.get(name)
