"""Domain names as Route 53 Resolver DNS Firewall accepts them, and the domain list files a blueprint names."""
from __future__ import annotations

import re

# DNS Firewall: at most 255 characters; labels of letters, digits, hyphens (and underscores, as in
# _dmarc records); an optional leading `*.` matches every subdomain; a trailing dot is allowed.
MAX_DOMAIN = 255
LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")
DOMAIN_HINT = ("write a domain name such as bad.example.com; `*.example.com` matches every subdomain; "
               "letters, digits, hyphens and underscores only, labels of 1-63 characters")


def domain_problem(domain: str) -> str | None:
    """Why DNS Firewall would refuse this domain, or None when it is accepted."""
    if not domain or len(domain) > MAX_DOMAIN:
        return f"is {'empty' if not domain else f'{len(domain)} characters long'} (1-{MAX_DOMAIN} allowed)"
    name = domain[:-1] if domain.endswith(".") else domain
    if name == "*":
        return None
    if name.startswith("*."):
        name = name[2:]
    bad = next((label for label in name.split(".") if not LABEL.match(label)), None)
    if bad is not None:
        return f"has the label {bad!r}, which is not a DNS label"
    return None


def parse_domain_lines(text: str) -> list[tuple[int, str]]:
    """(line number, domain) of a domain list file: one domain a line; blank lines and `#` comments skipped."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#", 1)[0].strip()
        if value:
            out.append((number, value))
    return out
