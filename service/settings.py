"""The settings table: every setting once, with its default, type and help.

Values come from defaults, then `STADTGRAPH_*` environment variables, then an explicit mapping
(tests, embedding). Each value is checked at start-up; a bad one stops start-up with its name
and the reason.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "STADTGRAPH_"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def _as_bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


def _as_list(raw: object) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        return tuple(str(item).strip() for item in raw if str(item).strip())
    return tuple(part.strip() for part in str(raw).split(",") if part.strip())


def _positive(kind: Callable[[Any], Any]) -> Callable[[object], Any]:
    noun = "a whole number" if kind is int else "a number"

    def convert(raw: object) -> Any:
        try:
            value = kind(raw)
        except (TypeError, ValueError):
            raise ValueError(f"must be {noun} greater than 0") from None
        if not value > 0 or not math.isfinite(value):
            raise ValueError(f"must be {noun} greater than 0")
        return value

    return convert


def _optional_str(raw: object) -> str | None:
    text = "" if raw is None else str(raw).strip()
    return text or None


def optional_http_url(raw: object) -> str | None:
    """An http(s) URL with a host and without credentials (they go in ENDPOINT_USER and
    ENDPOINT_PASSWORD, which no message repeats), or nothing."""
    text = _optional_str(raw)
    if text is None:
        return None
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "must not hold a user name or password: set STADTGRAPH_ENDPOINT_USER and "
            "STADTGRAPH_ENDPOINT_PASSWORD"
        )
    return text


def _base_iri(raw: object) -> str:
    text = str(raw).strip()
    if not text.startswith(("http://", "https://")) or not text.endswith(("/", "#")):
        raise ValueError("must be an http(s) IRI ending in '/' or '#'")
    return text


def _language(raw: object) -> str:
    text = str(raw).strip().lower()
    if text not in {"de", "en"}:
        raise ValueError("must be 'de' or 'en'")
    return text


def _non_negative_int(raw: object) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError("must be a whole number, 0 or more") from None
    if value < 0:
        raise ValueError("must be 0 or more")
    return value


def _licence(raw: object) -> str:
    from .licences import licence

    return licence(str(raw).strip()).iri


def _optional_url(raw: object) -> str | None:
    text = _optional_str(raw)
    if text is not None and not text.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL")
    return text


def _optional_email(raw: object) -> str | None:
    text = _optional_str(raw)
    if text is not None and ("@" not in text or any(c in text for c in ' <>"\n')):
        raise ValueError("must be an e-mail address")
    return text


def _optional_municipality_key(raw: object) -> str | None:
    text = _optional_str(raw)
    if text is not None and not (len(text) == 8 and text.isdigit()):
        raise ValueError("must be an eight-digit AGS such as 06611000")
    return text


def _optional_date(raw: object) -> str | None:
    import datetime

    text = _optional_str(raw)
    if text is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError("must be a date written YYYY-MM-DD, such as 2019-03-06") from None
    return text


def _optional_folder(raw: object) -> str | None:
    text = _optional_str(raw)
    if text is not None and not Path(text).is_dir():
        raise ValueError("must name an existing folder")
    return text


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: object
    convert: Callable[[object], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "STORE",
        None,
        _optional_str,
        "Folder of the embedded store (default: instance/store); ':memory:' keeps it in memory "
        "(for tests and the Python API: a command's store must be a folder).",
    ),
    Setting(
        "SERVE_FROM_MEMORY",
        True,
        _as_bool,
        "Answer queries from an in-memory copy of the embedded store (writes go to both).",
    ),
    Setting(
        "ENDPOINT",
        None,
        optional_http_url,
        "SPARQL query URL of a remote store; when set, the embedded store is not used.",
    ),
    Setting(
        "UPDATE_ENDPOINT",
        None,
        optional_http_url,
        "SPARQL Update URL of the remote store (default: derived from ENDPOINT).",
    ),
    Setting(
        "GSP_ENDPOINT",
        None,
        optional_http_url,
        "Graph Store Protocol URL of the remote store (default: derived from ENDPOINT).",
    ),
    Setting("ENDPOINT_USER", None, _optional_str, "User name for the remote store, if any."),
    Setting("ENDPOINT_PASSWORD", None, _optional_str, "Password for the remote store, if any."),
    Setting(
        "ENDPOINT_TIMEOUT",
        30.0,
        _positive(float),
        "Seconds to wait for the remote store to answer, or to send the next part of its "
        "answer, before a page or command gives up (public queries have QUERY_TIMEOUT; /health "
        "waits at most 5 s).",
    ),
    Setting(
        "BASE_IRI",
        "https://w3id.org/stadtgraph/",
        _base_iri,
        "Canonical base of the resource IRIs this service answers for.",
    ),
    Setting(
        "DEFAULT_LANGUAGE",
        "de",
        _language,
        "Page language when the browser states no preference ('de' or 'en').",
    ),
    Setting(
        "QUERY_TIMEOUT",
        10.0,
        _positive(float),
        "Seconds a public SPARQL query may run before it is stopped.",
    ),
    Setting(
        "MAX_RESULTS",
        10000,
        _positive(int),
        "Most result rows (or triples) the public endpoint returns before truncating.",
    ),
    Setting(
        "MAX_ANSWER_MB",
        50,
        _positive(int),
        "Largest answer of a public SPARQL query, in megabytes; a larger one is not sent (400 "
        "saying so). MAX_RESULTS bounds the rows, this their size.",
    ),
    Setting(
        "MAX_REQUEST_BYTES",
        100_000,
        _positive(int),
        "Largest request body or query string accepted, in bytes (413 above). Under "
        "`stadtgraph serve` an address longer than 64 kB gets 414 from the HTTP server first: "
        "send long queries by POST.",
    ),
    Setting(
        "MAX_HEAVY_QUERIES",
        2,
        _positive(int),
        "Public SPARQL queries allowed to run at the same time; others wait or get 503.",
    ),
    Setting(
        "QUERY_QUEUE_WAIT",
        5.0,
        _positive(float),
        "Seconds a SPARQL query waits for a free slot before the client gets 503 Retry-After. "
        "While slow queries hold the slots, at most MAX_HEAVY_QUERIES queries wait and further "
        "ones get 503 at once, so that pages and /health keep server threads.",
    ),
    Setting(
        "QUERY_MEMORY_MB",
        1024,
        _positive(int),
        "Megabytes of memory one public SPARQL query may use before it is stopped (503).",
    ),
    Setting(
        "SERVER_THREADS",
        8,
        _positive(int),
        "Requests one worker process of `stadtgraph serve` handles at once. While slow public "
        "SPARQL queries hold the query slots, queries take at most twice MAX_HEAVY_QUERIES of "
        "them (running and waiting); the rest stay free for pages and /health.",
    ),
    Setting(
        "ACCESS_LOG",
        True,
        _as_bool,
        "Log every request of `stadtgraph serve` to standard output.",
    ),
    Setting(
        "RESPONSE_CACHE_MB",
        64,
        _non_negative_int,
        "Megabytes of finished query results and entity pages kept for reuse until the next "
        "write (embedded store only; 0 switches reuse off).",
    ),
    Setting(
        "RATE_LIMIT",
        120,
        _positive(int),
        "SPARQL requests one client may send per minute before getting 429.",
    ),
    Setting(
        "SERVICE_ALLOWLIST",
        (),
        _as_list,
        "Comma-separated endpoint IRIs a SPARQL SERVICE clause may call (empty: none).",
    ),
    Setting(
        "UNION_DEFAULT_GRAPH",
        True,
        _as_bool,
        "Use the union of all named graphs as default graph when a query names none.",
    ),
    Setting(
        "READ_ONLY",
        False,
        _as_bool,
        "Refuse every write through HTTP (set by several-worker serving of the embedded store).",
    ),
    Setting(
        "WRITE_TOKENS",
        (),
        _as_list,
        "Comma-separated bearer tokens allowed to write through /update and /store, each "
        "`name:secret` (the client sends the secret; the provenance graph names the writer "
        "`name-<hash>`) or a secret alone (named by a hash of it). Use long random secrets "
        "(e.g. `openssl rand -hex 32`).",
    ),
    Setting(
        "MAX_WRITE_BYTES",
        50_000_000,
        _positive(int),
        "Largest request body /update and /store accept, in bytes (413 above).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        _non_negative_int,
        "Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host/-Port/-Prefix "
        "headers are trusted for absolute URLs (0: none).",
    ),
    Setting(
        "TRUSTED_HOSTS",
        (),
        _as_list,
        "Comma-separated host names the service answers for (e.g. `stadtgraph.kassel.de`); "
        "a request naming another host in Host (or, behind trusted proxies, "
        "X-Forwarded-Host) gets 400, so that absolute URLs in redirects, VoID and DCAT never "
        "name a host a client made up. Empty: any host.",
    ),
    Setting(
        "PUBLISHER_NAME",
        "Stadtgraph",
        _optional_str,
        "Publisher of the dataset named in the DCAT-AP.de catalogue record and the footer.",
    ),
    Setting(
        "PUBLISHER_URL",
        None,
        _optional_url,
        "Home page of the publisher (default: this service's home page).",
    ),
    Setting(
        "CONTACT_NAME",
        "Stadtgraph",
        _optional_str,
        "Name of the contact point in the catalogue record.",
    ),
    Setting(
        "CONTACT_EMAIL",
        None,
        _optional_email,
        "E-mail address of the contact point (none by default).",
    ),
    Setting(
        "CONTACT_URL",
        None,
        _optional_url,
        "Contact page of the contact point (default: this service's home page).",
    ),
    Setting(
        "DATA_LICENSE",
        "http://dcat-ap.de/def/licenses/cc-by/4.0",
        _licence,
        "Licence of the dataset, an IRI from the DCAT-AP.de licence list.",
    ),
    Setting(
        "LICENSE_ATTRIBUTION",
        "Stadtgraph",
        _optional_str,
        "Attribution text the licence asks for (dcatde:licenseAttributionByText).",
    ),
    Setting(
        "DATASET_ISSUED",
        None,
        _optional_date,
        "Date the dataset was first published (YYYY-MM-DD), if it has been.",
    ),
    Setting(
        "SOURCE_CODE_URL",
        None,
        _optional_url,
        "Where the service's source code is published (linked in the footer when set).",
    ),
    Setting(
        "PREPARE_AHEAD",
        True,
        _as_bool,
        "Write the dumps and build the explorer's graph in the background when `stadtgraph "
        "serve` starts and after each write, so that the first request for them need not wait.",
    ),
    Setting(
        "DUMP_FOLDER",
        None,
        _optional_str,
        "Folder for the generated dumps (default: beside the store folder, `<store>.dumps`; "
        "for a memory or remote store the instance folder's dumps/).",
    ),
    Setting(
        "QUERY_FOLDER",
        None,
        _optional_folder,
        "Folder of the named queries served at /queries/ (default: the project's queries/).",
    ),
    Setting(
        "SOURCE_TEXTS",
        None,
        _optional_folder,
        "Folder of the text versions of the sources (.txt files); the gate refuses a written "
        "sg:quote that none of them holds word for word (default: shared/seed beside the "
        "project, when it exists; without such a folder quotes are not checked).",
    ),
    Setting(
        "MUNICIPALITY_KEY",
        "06611000",
        _optional_municipality_key,
        "Official municipality key (AGS) of the city the dataset covers, for the DCAT-AP.de "
        "political geocoding (empty: none).",
    ),
)

SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def resolve_settings(
    overrides: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return every setting's checked value: defaults < environment < overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    unknown_env = sorted(
        key
        for key in environ
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :] not in SETTINGS_BY_NAME
    )
    if unknown_env:
        raise SettingsError(f"unknown setting {unknown_env[0]} (see `stadtgraph settings`)")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw: object = setting.default
        origin = "default"
        env_key = ENV_PREFIX + setting.name
        if env_key in environ:
            raw, origin = environ[env_key], env_key
        if setting.name in overrides:
            raw, origin = overrides.pop(setting.name), f"setting {setting.name}"
        try:
            values[setting.name] = setting.convert(raw)
        except (TypeError, ValueError) as error:
            where = "" if origin == env_key else f" ({origin})"
            raise SettingsError(f"{env_key}={raw!r}{where}: {error}") from None
    return values | overrides
