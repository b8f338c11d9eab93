"""Messages in the user's language: English as written in the code, Chinese from one catalogue.

Code everywhere else writes its messages in English, as today; they are translated here, at the
rendering edge (the CLI's help, errors, summaries and progress lines), by looking the English text up
in ``planner.i18n.zh.MESSAGES``. A catalogue key is either a whole message or a template with
``{name}`` placeholders, which match any text: ``"{path}: no such file"`` translates
``"/tmp/a.yaml: no such file"`` to ``"/tmp/a.yaml：文件不存在"``. A message with no entry stays English,
so a new message never breaks anything, it only waits for its translation.

The language is Chinese when ``--lang zh`` is given or the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``, in that order, as POSIX reads them) names Chinese, and English otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from models.errors import Problem

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

_current: list[Language] = ["en"]
"""The session's language; a list so that setting it needs no ``global`` statement."""
_chosen: list[bool] = [False]
"""Whether the user chose it with ``--lang`` (rather than the locale deciding)."""

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def language_from_environment(environment: Mapping[str, str]) -> Language:
    """zh when the locale that decides messages names Chinese (``zh_CN.UTF-8``, ``zh_TW``, ``zh``)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environment.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: Language, chosen: bool = False) -> None:
    """Set the session's language; ``chosen`` when the user asked for it with ``--lang``."""
    _current[0] = language
    _chosen[0] = chosen


def chosen_language() -> Language | None:
    """The language the user asked for with ``--lang``, if any."""
    return _current[0] if _chosen[0] else None


def current_language() -> Language:
    return _current[0]


def chinese() -> bool:
    return _current[0] == "zh"


def translate(text: str, language: Language | None = None) -> str:
    """``text`` in ``language`` (default: the session's): its catalogue entry, or itself when it has none.

    A multi-line text is translated line by line, so that a list of problems reads as one language.
    """
    if (language or _current[0]) != "zh" or not text:
        return text
    from planner.i18n.zh import MESSAGES

    if text in MESSAGES:
        return MESSAGES[text]
    if "\n" in text:
        return "\n".join(translate(line, "zh") for line in text.split("\n"))
    return _translate_line(text)


def _translate_line(text: str) -> str:
    from planner.i18n.zh import MESSAGES

    exact = MESSAGES.get(text)
    if exact is not None and not PLACEHOLDER.search(text):
        return exact
    for pattern, template, names in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = {name: _translate_value(match.group(name)) for name in names}
            return PLACEHOLDER.sub(lambda found, values=values: values[found.group(1)], template)
    return text


def _translate_value(value: str) -> str:
    """A placeholder's text, itself translated when it is a known message (an error inside an error).

    A list of messages (``a, b`` where each item is a known message) is translated item by item, so
    that one template never swallows several items; anything else is translated whole.
    """
    items = value.split(", ")
    if len(items) > 1:
        translated = [_translate_line(item) for item in items]
        if all(new != old for new, old in zip(translated, items)):
            return "；".join(translated)
    return _translate_line(value) if len(value) > 3 else value


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    """Every template of the catalogue as a regular expression, longest (most specific) first."""
    from planner.i18n.zh import MESSAGES

    compiled = []
    for english, chinese_text in MESSAGES.items():
        names = tuple(PLACEHOLDER.findall(english))
        if not names:
            continue
        parts = PLACEHOLDER.split(english)
        regex = ""
        for position, part in enumerate(parts):
            # split() alternates literal text and placeholder names
            regex += re.escape(part) if position % 2 == 0 else f"(?P<{part}>.+?)"
        compiled.append((len(PLACEHOLDER.sub("", english)), re.compile(regex, re.DOTALL), chinese_text, names))
    # Most literal text first: the template's own words, not its regular expression (whose group syntax
    # and escapes would rank a template by how many placeholders it has).
    compiled.sort(key=lambda entry: -entry[0])
    return tuple((pattern, chinese_text, names) for _length, pattern, chinese_text, names in compiled)


def say(english: str, chinese_text: str) -> str:
    """Pick one of two texts written side by side, for output too structured for the catalogue."""
    return chinese_text if _current[0] == "zh" else english


LOCATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"sheet (?P<sheet>.+), row (?P<row>\d+)"), "工作表 {sheet} 第 {row} 行"),
    (re.compile(r"(?P<sheet>.+\.csv), row (?P<row>\d+)"), "{sheet} 第 {row} 行"),
    (re.compile(r"line (?P<row>\d+)"), "第 {row} 行"),
)


def translate_location(location: str) -> str:
    """``sheet 系统, row 3`` and the like in Chinese; anything else as it is."""
    for pattern, template in LOCATIONS:
        match = pattern.fullmatch(location)
        if match:
            return template.format(**match.groupdict())
    return location


def problem_line(problem: Problem) -> str:
    """One problem as one line in the session's language (``str(problem)`` is the English line)."""
    if _current[0] != "zh":
        return str(problem)
    if problem.location.isdigit():
        where = f"{problem.source}:{problem.location}"
    else:
        where = problem.source + (f"（{translate_location(problem.location)}）" if problem.location else "")
    subject = (problem.object_id + (f".{problem.field}" if problem.field else "")) if problem.object_id else problem.field
    prefix = "警告：" if problem.severity == "warning" else ""
    message = translate(problem.message)
    if "first at " in problem.message:
        message = re.sub(r"（首次出现在 (.+)）$", lambda m: f"（首次出现在 {translate_location(m.group(1))}）", message)
    return f"{where}：{prefix}{subject + '：' if subject else ''}{message}"
