"""Writing outputs so that nobody ever reads half of them.

- A single file (an inventory, report.html, a workbook) is written to a uniquely
  named temporary file beside it and renamed over it.
- An output set (plan's four files, the playbooks' waves, a CSV ledger, a
  comparison, a sample) is written into a fresh temporary folder beside the target
  and swapped in whole, so a kill at any moment leaves either the old set or the
  new one, never a mix, and files of the old set that the new one lacks are gone.
- Entries of the old folder that another command put there (report.html or the
  playbooks inside a plan folder, a run journal) are carried over into the new one.
- A non-empty folder that migplan did not write is refused unless forced: it may
  be a user's folder, and the swap would move it aside.
- Every temporary name carries the process id and random letters, so concurrent
  runs never collide, and a later run removes what a killed one left behind.

``check_output_file`` and ``check_output_folder`` say what is wrong with a target
before a command spends minutes solving.

It lives in ``inventory`` because every later stage (inventory export, planner,
reports, playbooks) writes outputs and may import it without a cycle.
"""

from __future__ import annotations

import csv
import ctypes
import errno
import fcntl
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from models.errors import InputError, OutputError

MARKER = ".migplan-output.json"
"""Written into every folder migplan writes; lists the entries of its own output set."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program reads as the start of a formula (OWASP's CSV injection list)."""
CSV_ESCAPE = "'"
"""Prefixed to a formula-like text in a CSV cell: Excel and LibreOffice then show it as text."""
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.migplan-(?P<pid>\d+)-")


def csv_cell(value: Any) -> str:
    """A CSV cell for ``value``: formula-like text (``=cmd|…``, ``+1+2``, ``@SUM``) is escaped with a quote."""
    if value is None:
        return ""
    if isinstance(value, str):
        return CSV_ESCAPE + value if value.startswith(FORMULA_STARTS + (CSV_ESCAPE,)) else value
    return repr(value) if isinstance(value, float) else str(value)


def unescape_csv_cell(text: str) -> str:
    """The value ``csv_cell`` wrote."""
    return text[1:] if text.startswith(CSV_ESCAPE) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document, every cell through ``csv_cell``: the one guard for every CSV migplan writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _nearest_existing(path: Path) -> Path:
    probe = path.absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def _check_writable_parent(path: Path) -> None:
    """Raise ``OutputError`` unless a file can be created where ``path`` will be (its folders made as needed)."""
    ancestor = _nearest_existing(path.absolute().parent)
    if not ancestor.is_dir():
        raise OutputError(f"{path}: cannot write there: {ancestor} is a file, not a folder")
    try:
        handle, name = tempfile.mkstemp(prefix=f".migplan-{os.getpid()}-", dir=ancestor)
    except OSError as error:
        raise OutputError(f"{path}: cannot write there ({error.strerror or error})") from None
    os.close(handle)
    os.unlink(name)


def check_output_file(path: Path) -> None:
    """Before any work: ``path`` can become a file (it is no folder, and its folder is writable)."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name to write")
    _check_writable_parent(path)


def check_output_folder(path: Path, force: bool = False) -> None:
    """Before any work: ``path`` can become an output folder (no file, writable, not someone else's folder)."""
    if path.exists() and not path.is_dir():
        raise InputError(f"{path}: is a file; give a folder to write into")
    if path.is_dir() and not force and not (path / MARKER).is_file() and any(path.iterdir()):
        raise InputError(
            f"{path}: the folder is not empty and migplan did not write it; "
            "choose an empty or new folder, or add --force to write into it"
        )
    _check_writable_parent(path)


def _remove_abandoned(parent: Path, name: str) -> None:
    """Temporary files and folders that a killed run left beside ``name``."""
    for entry in parent.iterdir():
        match = _TEMPORARY.match(entry.name)
        if match is None or match["name"] != name or _alive(int(match["pid"])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; a folder migplan creates is marked as migplan's."""
    missing = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if missing:
            (folder / MARKER).write_text(json.dumps({"written_by": "migplan", "owned": []}) + "\n", encoding="utf-8")
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the folder ({error.strerror or error})") from None


def save_file(path: Path, save: Callable[[Path], None]) -> None:
    """Call ``save(temporary)`` for a temporary file beside ``path``, then rename it over ``path``."""
    _make_folder(path.parent)
    _remove_abandoned(path.parent, path.name)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.migplan-{os.getpid()}-", dir=path.parent)
    except OSError as error:
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    os.close(handle)
    temporary = Path(name)
    try:
        save(temporary)
        os.chmod(temporary, 0o666 & ~_umask())
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` atomically."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    save_file(path, lambda temporary: temporary.write_bytes(data))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def owned_entries(folder: Path) -> set[str]:
    """The entries of ``folder``'s own output set, as its marker lists them (none without a marker)."""
    try:
        document = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return {str(name) for name in document.get("owned", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


@contextmanager
def output_folder(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``target``; when the block ends without error, swap it in whole.

    Entries of an old ``target`` that its own output set did not write (another
    command's outputs) are moved into the new folder; the rest of the old set goes.
    On an error the temporary folder is removed and ``target`` is untouched.
    """
    check_output_folder(target, force)
    target = target.resolve() if target.is_symlink() else target.absolute()
    parent = target.parent
    _make_folder(parent)
    _remove_abandoned(parent, target.name)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.migplan-{os.getpid()}-", dir=parent))
    except OSError as error:
        raise OutputError(f"{target}: cannot write ({error.strerror or error})") from None
    try:
        yield staging
        owned = sorted(entry.name for entry in staging.iterdir() if entry.name != MARKER)
        (staging / MARKER).write_text(json.dumps({"written_by": "migplan", "owned": owned}, ensure_ascii=False)
                                      + "\n", encoding="utf-8")
        os.chmod(staging, 0o777 & ~_umask())
        with _locked(parent):
            _swap_in(staging, target, set(owned))
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{target}: cannot write ({error.strerror or error})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_in(staging: Path, target: Path, owned: set[str]) -> None:
    if not target.is_dir():
        os.rename(staging, target)
        return
    old_owned = owned_entries(target)
    for entry in target.iterdir():
        if entry.name != MARKER and entry.name not in old_owned and entry.name not in owned:
            os.rename(entry, staging / entry.name)
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    # No atomic exchange here (not Linux, or a file system without it): two renames.
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.migplan-{os.getpid()}-", dir=target.parent))
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so two runs swapping into it take turns."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
