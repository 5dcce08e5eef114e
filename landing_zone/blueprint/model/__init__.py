"""The blueprint contract as pydantic v2 models (docs/blueprint-reference.md is generated from them): names
are a contract, add, never rename (docs/architecture.md, design rules)."""
from landing_zone.blueprint.model.root import Blueprint

__all__ = ["Blueprint"]
