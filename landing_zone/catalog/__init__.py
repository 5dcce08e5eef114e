"""The guardrail catalog: one YAML file per control, validated at load, shared by every engine."""
from landing_zone.catalog.load import load_catalog
from landing_zone.catalog.model import Control

__all__ = ["Control", "load_catalog"]
