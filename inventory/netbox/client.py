"""Connecting to NetBox: the token from the environment, timeouts, retries, one-line errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import pynetbox
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from models.errors import SourceError

TOKEN_ENV = "NETBOX_TOKEN"
REQUEST_TIMEOUT_S = 120.0
CONNECT_RETRIES = 2
T = TypeVar("T")


class _TimeoutSession(requests.Session):
    """pynetbox sets no timeout of its own; a dead server must not hang a pull forever."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", REQUEST_TIMEOUT_S)
        return super().request(*args, **kwargs)


def token_from_env() -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise SourceError(f"no NetBox token: set {TOKEN_ENV}")
    return token


def connect(url: str, token: str | None = None) -> pynetbox.api:
    """A pynetbox API whose requests time out and are retried on 5xx and dropped connections."""
    api = pynetbox.api(url.rstrip("/"), token=token or token_from_env(), pagination="cursor")
    session = _TimeoutSession()
    # POST/PATCH are retried too: push is idempotent (objects are matched by mp_id first).
    # A refused connection is retried briefly (a server restarting answers within a second or
    # two; a dead one should fail in seconds, not half a minute); dropped connections and 5xx
    # answers get the longer schedule: 0.5 s, 1 s, 2 s, 4 s.
    retry = Retry(
        total=5, connect=CONNECT_RETRIES, read=3, status=4, backoff_factor=0.25, backoff_max=4.0,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "POST", "PATCH", "PUT", "DELETE"}),
        raise_on_status=False,
    )
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    api.http_session = session
    return api


def describe_failure(url: str, error: Exception) -> str:
    if isinstance(error, pynetbox.RequestError):
        status = error.req.status_code
        if status == 401 or status == 403:
            return f"NetBox at {url} refused the token (HTTP {status}): check {TOKEN_ENV} and its permissions"
        if status == 404:
            return f"NetBox at {url} has no such endpoint (HTTP 404): {error.req.url.split('?')[0]} (is it NetBox 4.x?)"
        return f"NetBox at {url} answered HTTP {status}: {str(error.error)[:300]}"
    if isinstance(error, (requests.ConnectionError, requests.Timeout)):
        return f"NetBox at {url} is unreachable (connection refused, dropped or timed out)"
    return f"NetBox at {url}: {type(error).__name__}: {error}"


def guarded(url: str, action: Callable[[], T]) -> T:
    """Run a NetBox conversation; any transport or API failure becomes one SourceError line."""
    try:
        return action()
    except SourceError:
        raise
    except (pynetbox.RequestError, pynetbox.ContentError, requests.RequestException) as error:
        raise SourceError(describe_failure(url, error)) from error
