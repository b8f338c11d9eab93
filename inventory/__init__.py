"""Inventory sources (files, spreadsheets, NetBox) and validation at the edge."""

from inventory.files import FileSource, load_inventory, write_inventory
from inventory.source import InventorySource, RawInventory
from inventory.validate import validate

__all__ = ["FileSource", "InventorySource", "RawInventory", "load_inventory", "validate", "write_inventory"]
