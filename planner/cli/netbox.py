"""``migplan netbox init/adopt/apply-plan`` and ``migplan inventory push/pull``: NetBox as a source; parse, call, render."""

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
    """NetBox as an inventory source: schema, adopting existing objects, plan write-back."""


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


@netbox.command("adopt")
@netbox_url_option
@mapping_option
@click.option("--tenant-group", "tenant_groups", multiple=True, metavar="SLUG",
              help="Adopt this tenant group's tenants as departments (repeatable).")
@click.option("--site", "sites", multiple=True, metavar="SLUG", help="Adopt this site's locations as rooms (repeatable).")
@click.option("--cluster-group", "cluster_groups", multiple=True, metavar="SLUG",
              help="Adopt this cluster group's VMs as systems and its clusters of a pool type as pools (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="SLUG",
              help="Adopt the tenants, locations, VRFs, clusters and VMs carrying this tag (repeatable).")
@click.option("--vrf", "vrfs", multiple=True, metavar="NAME", help="Adopt this VRF as a network (repeatable).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Draft ledger to write (.xlsx): every managed object, the fields to fill marked 待填.")
@handle_errors
def netbox_adopt(url: str, mapping: Path | None, tenant_groups: tuple[str, ...], sites: tuple[str, ...],
                 cluster_groups: tuple[str, ...], tags: tuple[str, ...], vrfs: tuple[str, ...], output: Path) -> None:
    """Make existing NetBox objects migplan's (mp_id and tag only) and write a draft ledger to fill."""
    from inventory.netbox import connect, load_mapping
    from inventory.netbox.adopt import Selection, adopt
    from inventory.netbox.draft import count_missing, write_draft_ledger
    from inventory.netbox.pull import draft_document
    from models.inventory import LIST_NAMES

    if output.suffix.lower() != ".xlsx":
        raise InputError(f"{output}: the draft ledger is a workbook; name it .xlsx")
    api, chosen = connect(url), load_mapping(mapping)
    report = adopt(api, chosen, Selection(tenant_groups, sites, cluster_groups, tags, vrfs))
    click.echo(report.summary())
    document = draft_document(api, chosen)
    write_draft_ledger(document, output)
    objects = sum(len(document[name]) for name in LIST_NAMES)
    click.echo(f"{output}: {objects} objects, {count_missing(document)} cells to fill (marked 待填)")
    click.echo(f"next: fill them, then `migplan inventory push {output} --netbox {url}` shows what it would "
               "write (custom fields only); add --commit to write it")


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
@click.option("--diff", "diff_only", is_flag=True, help="Only show what push would write; write nothing.")
@click.option("--commit", is_flag=True,
              help="Also write changes to objects migplan did not create (adopted ones); without it such a "
                   "push only shows its diff.")
@handle_errors
def inventory_push(path: Path, url: str, mapping: Path | None, diff_only: bool, commit: bool) -> None:
    """Create or update the inventory's objects in NetBox (idempotent, resumable)."""
    # Objects NetBox holds by mp_id are updated; others are matched by name (one match is
    # adopted, several stop the push) or created (inventory/netbox/push.py).
    from inventory.files import load_inventory
    from inventory.netbox import connect, load_mapping, push

    if diff_only and commit:
        raise InputError("--diff and --commit exclude each other")
    loaded, warnings = load_inventory(path)
    for warning in warnings:
        click.echo(str(warning), err=True)
    report = push(loaded, connect(url), mapping=load_mapping(mapping), dry_run=diff_only, hold_adopted=not commit)
    if report.dry_run:
        for line in report.diff:
            click.echo(line)
    click.echo(report.summary())
    if report.dry_run and not diff_only:
        click.echo(f"{report.adopted_changes} changes touch objects migplan did not create: "
                   "review them above, then run again with --commit")


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
    source = NetBoxSource(url, mapping=load_mapping(mapping))
    pulled = pull_to_file(source, output)
    click.echo(f"{output}: {len(pulled.departments)} departments, {len(pulled.rooms)} rooms, "
               f"{len(pulled.networks)} networks, {len(pulled.systems)} systems, {len(pulled.clouds)} pools")
    left_out = {kind: count for kind, count in source.skipped.items() if count}
    if left_out:
        from inventory.netbox.pull import NETBOX_KINDS

        click.echo("left out, as migplan does not manage them: "
                   + ", ".join(f"{count} {NETBOX_KINDS[kind]}" for kind, count in left_out.items())
                   + "; to plan with them, adopt them: `migplan netbox adopt --netbox URL --tenant-group ... "
                     "--site ... --cluster-group ... -o draft.xlsx` (see README, NetBox)")


COMMANDS: tuple[click.Command, ...] = (netbox,)
"""The top-level commands; ``inventory push`` and ``inventory pull`` join the inventory group."""
