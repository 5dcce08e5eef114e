"""What the `security:` section may name (GuardDuty features, Security Hub standards) and where the
regional services run, from the dated data file data/security-services.yaml."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "security-services.yaml"
# libyaml when available: read on every `lz validate` that has a `security` section.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Services whose delegated administrator and organization settings the landing zone manages, in the
# order their stacks list them. Access Analyzer is `access_analyzer` in the blueprint.
SERVICES = ("guardduty", "security_hub", "access_analyzer", "macie", "detective", "inspector")
# Where each service runs only in some regions (the others run in every region this tool knows).
REGIONAL_SERVICES = ("macie", "inspector")


@dataclass(frozen=True)
class GuardDutyFeature:
    feature: str                        # UpdateOrganizationConfiguration Features[].Name
    additional: tuple[str, ...] = ()    # AdditionalConfiguration names turned on with it


@dataclass(frozen=True)
class SecurityServicesData:
    guardduty_features: dict[str, GuardDutyFeature]
    standards: dict[str, str]           # blueprint name -> ARN template ({partition}, {region})
    regions_as_of: str
    regions: dict[str, frozenset[str]]  # macie / inspector -> regions where it runs

    def standard_arn(self, name: str, partition: str, region: str) -> str:
        return self.standards[name].format(partition=partition, region=region)

    def runs_in(self, service: str, region: str) -> bool:
        return service not in self.regions or region in self.regions[service]


@lru_cache(maxsize=1)
def security_services() -> SecurityServicesData:
    data = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_LOADER)
    regions = data["regions"]
    return SecurityServicesData(
        guardduty_features={name: GuardDutyFeature(v["feature"], tuple(v.get("additional", ())))
                            for name, v in data["guardduty_features"].items()},
        standards=dict(data["security_hub_standards"]),
        regions_as_of=str(regions["as_of"]),
        regions={service: frozenset(regions[service]) for service in REGIONAL_SERVICES})
