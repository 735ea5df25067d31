"""Polite access to public registries: SPARQL through SPARQLWrapper, HTTP HEAD for IRIs.

One client per registry endpoint keeps a minimum interval between requests, sends a descriptive
User-Agent, bounds every request by a timeout and honours `429 Too Many Requests` with
`Retry-After` up to a bound. Every failure becomes one `RegistryError` with a message meant for
people: timeouts, HTTP errors, unreachable hosts, malformed answers and rate limiting.
"""

from __future__ import annotations

import email.utils
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib.term import BNode, Literal, URIRef
from SPARQLWrapper import GET, JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import __version__
from .store import Node

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
USER_AGENT = (
    f"Stadtgraph/{__version__} (https://w3id.org/stadtgraph/; link discovery and checking) "
    "SPARQLWrapper/2"
)
MIN_INTERVAL = 1.0
"""Seconds between two requests to the same registry, by default (Wikidata asks for restraint)."""
TIMEOUT = 30.0
MAX_RETRY_WAIT = 60.0
"""Longest Retry-After we wait for; a registry asking for more stops the work with a message."""
MAX_RETRIES = 3
DEFAULT_BACKOFF = 5.0
"""Seconds to wait after a 429 without Retry-After, doubled on each retry."""


class RegistryError(Exception):
    """A registry could not answer; the message says which, why, and what to do."""


class RegistryTimeout(RegistryError):
    """The registry did not answer in time."""


class RegistryUnreachable(RegistryError):
    """The registry's host could not be reached at all."""


class RegistryHTTPError(RegistryError):
    """The registry answered with an HTTP error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RateLimited(RegistryError):
    """The registry keeps answering 429, or asks to wait longer than allowed."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MalformedAnswer(RegistryError):
    """The registry answered, but not with SPARQL results we can read."""


@dataclass
class Politeness:
    """How gently to treat a registry."""

    user_agent: str = USER_AGENT
    min_interval: float = MIN_INTERVAL
    timeout: float = TIMEOUT
    max_retry_wait: float = MAX_RETRY_WAIT
    max_retries: int = MAX_RETRIES


@dataclass
class RegistryClient:
    """Send SELECT and ASK queries to one SPARQL endpoint, politely."""

    endpoint: str
    politeness: Politeness = field(default_factory=Politeness)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    on_wait: Callable[[str], None] | None = None
    requests: int = 0
    _last: float | None = None

    def select(self, sparql: str) -> list[dict[str, Node]]:
        """Run a SELECT query and return its rows as rdflib terms."""
        data = self._json(sparql)
        try:
            bindings = data["results"]["bindings"]
            if not isinstance(bindings, list):
                raise TypeError("bindings is not a list")
            return [{name: _term(value) for name, value in row.items()} for row in bindings]
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise MalformedAnswer(
                f"{self.endpoint} answered JSON that is not SPARQL SELECT results ({error})"
            ) from None

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        data = self._json(sparql)
        answer = data.get("boolean") if isinstance(data, dict) else None
        if not isinstance(answer, bool):
            raise MalformedAnswer(f"{self.endpoint} answered JSON without an ASK result")
        return answer

    def _json(self, sparql: str) -> Any:
        body, content_type = self._send(sparql)
        if "json" not in content_type.lower():
            raise MalformedAnswer(
                f"{self.endpoint} answered {content_type or 'no content type'} instead of "
                f"SPARQL JSON: {_excerpt(body)}"
            )
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise MalformedAnswer(
                f"{self.endpoint} answered malformed JSON ({error}): {_excerpt(body)}"
            ) from None

    def _send(self, sparql: str) -> tuple[bytes, str]:
        wait = DEFAULT_BACKOFF
        for attempt in range(self.politeness.max_retries + 1):
            self._keep_interval()
            try:
                return self._request(sparql)
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    body = error.read()
                    error.close()
                    raise self._http_error(error.code, error.reason, body) from None
                asked = retry_after(error.headers.get("Retry-After"), self._now())
                error.close()
                delay = asked if asked is not None else wait
                if delay > self.politeness.max_retry_wait:
                    raise RateLimited(
                        f"{self.endpoint} is rate limiting (HTTP 429) and asks to wait "
                        f"{delay:.0f} s, longer than the {self.politeness.max_retry_wait:.0f} s "
                        "allowed; stopped (try again later or raise --max-retry-wait)",
                        asked,
                    ) from None
                if attempt == self.politeness.max_retries:
                    break
                if self.on_wait:
                    self.on_wait(f"rate limited by {self.endpoint}; waiting {delay:.0f} s")
                self.sleep(delay)
                wait *= 2
        raise RateLimited(
            f"{self.endpoint} is still rate limiting (HTTP 429) after "
            f"{self.politeness.max_retries} retries; stopped (try again later)",
            None,
        )

    def _request(self, sparql: str) -> tuple[bytes, str]:
        wrapper = SPARQLWrapper(self.endpoint, agent=self.politeness.user_agent)
        wrapper.setQuery(sparql)
        wrapper.setMethod(GET)
        wrapper.setReturnFormat(JSON)
        # setTimeout() truncates to whole seconds; the attribute takes a float as urlopen does.
        wrapper.timeout = self.politeness.timeout  # type: ignore[assignment]
        self.requests += 1
        try:
            result = wrapper.query()
            with result.response as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError:
            raise
        except SPARQLWrapperException as error:
            status = _STATUS_OF.get(type(error).__name__, 0)
            raise self._http_error(status, type(error).__name__, str(error).encode()) from None
        except TimeoutError:
            raise self._timeout() from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise self._timeout() from None
            raise RegistryUnreachable(f"cannot reach {self.endpoint}: {error.reason}") from None
        except (ConnectionError, OSError) as error:
            raise RegistryUnreachable(f"cannot reach {self.endpoint}: {error}") from None
        finally:
            self._last = self.clock()

    def _keep_interval(self) -> None:
        if self._last is None:
            return
        remaining = self.politeness.min_interval - (self.clock() - self._last)
        if remaining > 0:
            self.sleep(remaining)

    def _timeout(self) -> RegistryTimeout:
        return RegistryTimeout(
            f"{self.endpoint} did not answer within {self.politeness.timeout:g} s "
            "(timeout; raise --timeout or try again later)"
        )

    def _http_error(self, status: int, reason: object, body: bytes) -> RegistryHTTPError:
        label = f"HTTP {status}" if status else "an HTTP error"
        return RegistryHTTPError(
            f"{self.endpoint} answered {label} ({reason}): {_excerpt(body)}", status
        )

    @staticmethod
    def _now() -> datetime:
        return datetime.now(UTC)


_STATUS_OF = {
    "QueryBadFormed": 400,
    "Unauthorized": 401,
    "EndPointNotFound": 404,
    "URITooLong": 414,
    "EndPointInternalError": 500,
}


def retry_after(header: str | None, now: datetime) -> float | None:
    """Read a Retry-After header (seconds or an HTTP date) as seconds from now."""
    if header is None or not header.strip():
        return None
    text = header.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _term(value: Mapping[str, Any]) -> Node:
    kind = value["type"]
    text = value["value"]
    if not isinstance(text, str):
        raise TypeError("a value is not a string")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(text, lang=value["xml:lang"])
        if "datatype" in value:
            return Literal(text, datatype=URIRef(value["datatype"]))
        return Literal(text)
    raise ValueError(f"unknown term type {kind!r}")


def _excerpt(body: bytes, limit: int = 200) -> str:
    text = " ".join(body.decode("utf-8", errors="replace").split())
    if not text:
        return "(empty answer)"
    return text if len(text) <= limit else text[:limit] + " …"


# -- HTTP checks of IRIs ------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpStatus:
    """What a HEAD request to an IRI said: its status and, for redirects, where to."""

    status: int
    location: str | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def head(url: str, politeness: Politeness) -> HttpStatus:
    """Send HEAD to url without following redirects; RegistryError when it cannot be asked."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(  # noqa: S310 (only http(s) URLs are configured)
        url, method="HEAD", headers={"User-Agent": politeness.user_agent}
    )
    try:
        with opener.open(request, timeout=politeness.timeout) as response:
            return HttpStatus(response.status)
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location")
        error.close()
        return HttpStatus(error.code, location)
    except TimeoutError:
        raise RegistryTimeout(
            f"{url} did not answer within {politeness.timeout:g} s (timeout)"
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise RegistryTimeout(
                f"{url} did not answer within {politeness.timeout:g} s (timeout)"
            ) from None
        raise RegistryUnreachable(f"cannot reach {url}: {error.reason}") from None
