"""The NetBox inventory source: schema (init), push, pull and plan write-back. See docs/netbox.md."""

from inventory.netbox.client import connect
from inventory.netbox.mapping import Mapping, ensure_schema, load_mapping
from inventory.netbox.plan import PlanChange, apply_plan
from inventory.netbox.pull import NetBoxSource, pull_to_file
from inventory.netbox.push import PushReport, push

__all__ = ["Mapping", "NetBoxSource", "PlanChange", "PushReport", "apply_plan", "connect", "ensure_schema",
           "load_mapping", "pull_to_file", "push"]
