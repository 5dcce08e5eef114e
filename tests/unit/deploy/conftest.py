"""Fixtures of the deploy tests: a mocked AWS and a ready organization in it (tests/unit/deploy/world.py)."""
from tests.unit.deploy.world import aws, world  # noqa: F401
