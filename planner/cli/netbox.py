"""``migplan netbox init/apply-plan`` and ``migplan inventory push/pull``: NetBox as a source; parse, call, render."""

from __future__ import annotations

import json
from pathlib import Path

import click

from models.errors import InputError
from planner.cli.common import command, group, handle_errors

netbox_url_option = click.option(
    "--netbox", "url", envvar="NETBOX_URL", required=True, metavar="URL",
    help="NetBox base URL (or NETBOX_URL). The token is read from NETBOX_TOKEN, never from the command line.")
mapping_option = click.option("--mapping", type=click.Path(exists=True, path_type=Path),
                              help="Mapping file (default: the bundled inventory/netbox/mapping.yaml).")


@group("netbox")
def netbox() -> None:
    """NetBox as an inventory source: schema, plan write-back."""


@netbox.command("init")
@netbox_url_option
@mapping_option
@handle_errors
def netbox_init(url: str, mapping: Path | None) -> None:
    """Create migplan's tag, site, cluster types, choice sets and custom fields (idempotent)."""
    from inventory.netbox import connect, ensure_schema, load_mapping
    from inventory.netbox.client import guarded

    api = connect(url)
    changes = guarded(url, lambda: ensure_schema(api, load_mapping(mapping)))
    click.echo("\n".join(changes) if changes else "NetBox already has migplan's schema: nothing changed")


@netbox.command("apply-plan")
@click.argument("plan_path", metavar="PLAN.json", type=click.Path(exists=True, path_type=Path))
@netbox_url_option
@mapping_option
@click.option("--commit", is_flag=True, help="Write the changes; without it only the diff is shown.")
@handle_errors
def netbox_apply_plan(plan_path: Path, url: str, mapping: Path | None, commit: bool) -> None:
    """Set each object's planned action, target pool and period; journal what changed."""
    from inventory.netbox import apply_plan, connect, load_mapping

    try:
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{plan_path}: cannot read the plan: {error}") from error
    changes = apply_plan(plan, connect(url), commit=commit, mapping=load_mapping(mapping))
    for change in changes:
        click.echo(str(change))
    verb = "written" if commit else "would be written (use --commit)"
    click.echo(f"{len(changes)} field changes {verb}" if changes else "NetBox already matches the plan")


@command("push")
@click.argument("path", type=click.Path(path_type=Path))
@netbox_url_option
@mapping_option
@handle_errors
def inventory_push(path: Path, url: str, mapping: Path | None) -> None:
    """Create or update the inventory's objects in NetBox (idempotent, resumable)."""
    from inventory.files import load_inventory
    from inventory.netbox import connect, load_mapping, push

    loaded, warnings = load_inventory(path)
    for warning in warnings:
        click.echo(str(warning), err=True)
    click.echo(push(loaded, connect(url), mapping=load_mapping(mapping)).summary())


@command("pull")
@netbox_url_option
@mapping_option
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Inventory file to write (.yaml, .yml or .json); written only if the pull completes.")
@handle_errors
def inventory_pull(url: str, mapping: Path | None, output: Path) -> None:
    """Read the inventory from NetBox into a file."""
    from inventory.netbox import NetBoxSource, load_mapping, pull_to_file

    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(f"{output}: pull writes an inventory file; use .yaml, .yml or .json")
    pulled = pull_to_file(NetBoxSource(url, mapping=load_mapping(mapping)), output)
    click.echo(f"{output}: {len(pulled.systems)} systems, {len(pulled.rooms)} rooms, {len(pulled.networks)} networks")


COMMANDS: tuple[click.Command, ...] = (netbox,)
"""The top-level commands; ``inventory push`` and ``inventory pull`` join the inventory group."""
