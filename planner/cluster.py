"""Running independent pieces of planning on a Ray cluster, when one is given.

Ray is an optional extra (``pip install migplan[ray]``). A cluster is given by ``--ray auto|ADDRESS``
or the ``RAY_ADDRESS`` environment variable; without either nothing here is used, and without the
extra asking for one is an input error naming the extra. ``auto`` joins the cluster already running
on this machine (``ray start --head --num-cpus 2``); ``local`` starts a private one for this process.

Each piece is one Ray task. A task whose worker dies (killed, out of memory, its node lost) is run
again, up to :data:`RETRIES` times, by Ray itself: the other pieces keep their results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from importlib.util import find_spec
from typing import Any, TypeVar

from models.errors import InputError

RETRIES = 3
"""Runs of a piece after the first when its worker dies."""
LOCAL = "local"
"""The address that starts a private Ray instance inside this process (tests, one machine)."""
Result = TypeVar("Result")


def ray_address(option: str | None) -> str | None:
    """The cluster to use: the option, else ``RAY_ADDRESS``, else None (no cluster: plan on this machine).

    ``RAY_ADDRESS`` is ignored where the extra is not installed (nothing changes without it);
    the option is then an input error naming the extra.
    """
    installed = find_spec("ray") is not None
    if option and not installed:
        raise InputError(f"--ray {option}: Ray is not installed; install the extra with: pip install 'migplan[ray]'")
    return option or (os.environ.get("RAY_ADDRESS") or None if installed else None)


def connect(address: str) -> None:
    """Join the cluster at ``address`` (once per process); ``local`` starts one here with this machine's cores."""
    import ray

    if ray.is_initialized():
        return
    # The workers import migplan from the same installation; the driver's folder is not shipped.
    ray.init(address=None if address == LOCAL else address, include_dashboard=False, log_to_driver=False,
             configure_logging=False)


def run_all(function: Callable[..., Result], arguments: Sequence[tuple[Any, ...]], address: str,
            cpus: float = 1.0) -> Iterator[tuple[int, Result]]:
    """Run ``function(*args)`` for each tuple of ``arguments`` as Ray tasks; yield (index, result) as each ends.

    ``function`` must be importable by the workers (a module-level function). A task whose worker
    died is retried by Ray (:data:`RETRIES`); an exception raised by ``function`` is not retried and
    reaches the caller, as it would locally.
    """
    import ray

    connect(address)
    remote = ray.remote(num_cpus=cpus, max_retries=RETRIES, retry_exceptions=False)(function)
    pending = {remote.remote(*args): index for index, args in enumerate(arguments)}
    while pending:
        done, _running = ray.wait(list(pending), num_returns=1)
        for reference in done:
            yield pending.pop(reference), ray.get(reference)
