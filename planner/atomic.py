"""Writing a file so that a reader never sees half of it: ``inventory.outputs.write_file``, under the name
the quarter loop's modules know (a uniquely named temporary file beside the target, then a rename)."""

from __future__ import annotations

from pathlib import Path

from inventory.outputs import write_file


def write_atomically(path: Path, text: str) -> None:
    write_file(path, text)
