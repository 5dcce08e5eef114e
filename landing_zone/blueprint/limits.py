"""Caps on what loading one blueprint may cost: blueprints arrive by pull request and are untrusted.

Each cap sits well above what a real landing zone needs (a 10,000-account blueprint stays well
inside every one) and far below what hurts a CI runner; going over one is an Issue, never a hang.
"""
from __future__ import annotations

# Any one file read: the blueprint, a fragment, a policy JSON file, SAML metadata, the ids file.
# IAM accepts SAML metadata documents up to 10,000,000 characters, the largest legitimate file.
MAX_FILE_BYTES = 10 * 1024 * 1024

# Characters Jinja2 may produce for one file (blueprint plus its includes), and the size of any
# one string or list an expression may build. 10,000 accounts render to about 2 MB.
MAX_RENDERED_CHARS = 16 * 1024 * 1024

# Work one rendering may do: loop iterations, calls and filter applications together. A
# 10,000-account loop needs about 60,000; a million runs in about a second.
MAX_RENDER_STEPS = 1_000_000

# Items of one range() (Jinja2's own sandbox default).
MAX_RANGE = 100_000

# Bits of an integer an expression may build (2 ** 65536 has 19,729 digits; Python refuses to
# print integers over 4,300 digits anyway). Stops 9 ** 9 ** 9 before it starts.
MAX_INT_BITS = 65_536

# Width or padding a single format, center, ljust, indent ... may ask for.
MAX_WIDTH = 10_000

# YAML values after expanding aliases (each use of an alias counts its whole value), and how deep
# they nest. The deepest blueprint construct (an OU five levels down, or a policy condition) is
# about 15 levels; a 10,000-account blueprint (with a few tags each) has about 120,000 values.
MAX_YAML_NODES = 200_000
MAX_DEPTH = 64

# Issues listed at most; one more issue says how many are not shown. A mistake a loop or an alias
# repeats can make 100,000, and nobody reads past the first screens.
MAX_ISSUES = 1_000
