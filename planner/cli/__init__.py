"""The ``migplan`` command: a thin click group; each command group lives in its own module here.

Every failure is one line on stderr and a non-zero exit code (2 input, 3 infeasible, 4 source,
5 playbooks, 6 plan breaks rules); ``--debug`` (before or after the subcommand) alone shows tracebacks.
Nothing outside this package imports it: the CLI sits above models, inventory, planner and playbooks.
"""

from __future__ import annotations

from importlib.metadata import version

import click

from planner.cli import inventory, netbox, plan, playbooks, quarter, report
from planner.cli.common import Context
from planner.i18n import LANGUAGES
from planner.i18n.cli import LocalizedGroup


@click.group("migplan", cls=LocalizedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("migplan"), prog_name="migplan")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), expose_value=False,
              help="Language of messages: zh (Chinese) or en (English); default from the locale (LANG).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Plan the move of a city's government IT onto the government cloud and the e-government extranet.

    A new city starts with `migplan init DIR`: a ledger template, a scenario template and a README.
    The file formats are described in docs/formats.md.
    """
    ctx.obj = Context(debug)


for _command in (*inventory.COMMANDS, *plan.COMMANDS, *report.COMMANDS, *playbooks.COMMANDS, *quarter.COMMANDS,
                 *netbox.COMMANDS):
    cli.add_command(_command)
inventory.inventory.add_command(netbox.inventory_push)
inventory.inventory.add_command(netbox.inventory_pull)


def main() -> None:
    cli(prog_name="migplan")


if __name__ == "__main__":
    main()
