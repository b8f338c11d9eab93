"""The sandbox is a real NetBox that pynetbox can write to with the v2 token."""

from __future__ import annotations

import pynetbox
import pytest

from tests.integration.conftest import NetBoxSandbox

pytestmark = [pytest.mark.integration, pytest.mark.netbox]


def test_token_is_v2(netbox: NetBoxSandbox) -> None:
    assert netbox.token.startswith("nbt_")


def test_pynetbox_creates_and_lists_a_tenant(clean_netbox: NetBoxSandbox) -> None:
    api = pynetbox.api(clean_netbox.url, token=clean_netbox.token)
    assert api.status()["netbox-version"].startswith("4.7")
    api.tenancy.tenants.create(name="市人力资源社会保障局", slug="renshe")
    assert [tenant.name for tenant in api.tenancy.tenants.all()] == ["市人力资源社会保障局"]


def test_reset_empties_the_database(clean_netbox: NetBoxSandbox) -> None:
    api = pynetbox.api(clean_netbox.url, token=clean_netbox.token)
    assert api.tenancy.tenants.count() == 0
