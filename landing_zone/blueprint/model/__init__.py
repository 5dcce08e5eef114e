"""The blueprint contract as pydantic v2 models (DESIGN.md §4): names are a contract, add, never rename."""
from landing_zone.blueprint.model.root import Blueprint

__all__ = ["Blueprint"]
