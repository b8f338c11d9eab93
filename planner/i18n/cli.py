"""The CLI in the user's language: click classes whose help, usage and errors go through the catalogue.

``LocalizedGroup`` is the class of the ``migplan`` group. Before click parses anything it picks the
language (``--lang zh|en`` anywhere on the line, else the locale) and moves a ``--debug`` written
after the subcommand to the front, where the group reads it. Every command it creates renders help
with ``LocalizedFormatter``, and click's own usage errors are printed translated.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from planner.i18n import LANGUAGES, Language, chinese, language_from_environment, set_language, translate

HELP_WORDS = {
    "Usage: ": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Positional arguments": "参数",
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
}
EXTRA = re.compile(r"^(?P<help>.*?)\s*\[(?P<extra>[^\[\]]*)\]$", re.DOTALL)


def _translate_extra(extra: str) -> str:
    """click's ``[default: out; required]`` beside an option's help."""
    parts = []
    for part in extra.split("; "):
        if part.startswith("default: "):
            parts.append("默认：" + part[len("default: "):])
        elif part == "required":
            parts.append("必填")
        elif part.startswith("env var: "):
            parts.append("环境变量：" + part[len("env var: "):])
        else:
            parts.append(part)
    return "；".join(parts)


def translate_help(text: str) -> str:
    """An option's or command's help, with click's bracketed extras, in the session's language."""
    if not chinese() or not text:
        return text
    whole = translate(text)
    if whole != text:
        return whole
    match = EXTRA.match(text)
    if match:
        help_text = match.group("help")
        return f"{translate_help(help_text) if help_text else ''}  [{_translate_extra(match.group('extra'))}]".lstrip()
    if text.endswith("..."):
        return _translate_short(text[:-3])
    return text


def _translate_short(prefix: str) -> str:
    """The first sentence of the translation of the help that click shortened to ``prefix...``."""
    from planner.i18n.zh import MESSAGES

    for english, translated in MESSAGES.items():
        if english.startswith(prefix):
            return re.split(r"(?<=[。；])", translated, maxsplit=1)[0].rstrip("。；")
    return prefix + "..."


class LocalizedFormatter(click.HelpFormatter):
    """A help formatter writing Chinese help when the session is Chinese (English untouched otherwise)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if chinese():
            for english, translated in HELP_WORDS.items():
                args = args.replace(english, translated)
            prefix = HELP_WORDS["Usage: "] if prefix is None else translate(prefix)
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        if chinese():
            self.write(f"{'':>{self.current_indent}}{HELP_WORDS.get(heading, heading)}：\n")
        else:
            super().write_heading(heading)

    def write_text(self, text: str) -> None:
        super().write_text(translate_help(text))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(term, translate_help(definition)) for term, definition in rows]
        super().write_dl(rows, col_max, col_spacing)


class LocalizedContext(click.Context):
    formatter_class = LocalizedFormatter


class LocalizedCommand(click.Command):
    """A subcommand: localized help, and ``--lang`` accepted even when the command has no language of its own."""

    context_class = LocalizedContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not any("--lang" in getattr(param, "opts", ()) for param in self.params):
            # prepare_arguments has already read it; the option only lets click accept it here
            self.params.append(click.Option(["--lang"], type=click.Choice(LANGUAGES), expose_value=False, hidden=True))


class LocalizedGroup(click.Group):
    """The ``migplan`` group: picks the language, accepts ``--debug`` anywhere, translates click's errors."""

    context_class = LocalizedContext
    command_class = LocalizedCommand
    group_class = type

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        arguments = prepare_arguments(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(arguments, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(arguments, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            show_click_error(error)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo(translate("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def prepare_arguments(arguments: Iterable[str]) -> list[str]:
    """Set the session's language from the command line or the locale; hoist a late ``--debug``.

    ``--lang`` keeps its place (``report`` and ``compare`` read it for the language of their files);
    the last one given decides the language of messages too. Nothing after ``--`` is looked at.
    """
    arguments = list(arguments)
    end = arguments.index("--") if "--" in arguments else len(arguments)
    language: Language | None = None
    for position in range(end):
        argument = arguments[position]
        value = None
        if argument == "--lang" and position + 1 < end:
            value = arguments[position + 1]
        elif argument.startswith("--lang="):
            value = argument.split("=", 1)[1]
        if value in LANGUAGES:
            language = value  # type: ignore[assignment]
    set_language(language or language_from_environment(os.environ), chosen=language is not None)
    if "--debug" in arguments[1:end] and arguments[:1] != ["--debug"]:
        arguments.remove("--debug")
        arguments.insert(0, "--debug")
    return arguments


def show_click_error(error: click.ClickException) -> None:
    """click's error, usage line and hint included, with the message through the catalogue."""
    context = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and context is not None:
        hint = ""
        if context.command.get_help_option(context) is not None:
            hint = translate(f"Try '{context.command_path} --help' for help.") + "\n"
        click.echo(f"{context.get_usage()}\n{hint}", err=True)
    click.echo(translate("Error: ") + translate(error.format_message()), err=True)
