"""Fixtures of the integration tests."""

from tests.integration.ansible_hosts import ansible_test_hosts  # noqa: F401  (session fixture: the SSH test hosts)
