"""The online deploy: `lz preflight`, `lz deploy` and `lz import-mapping` over a planned landing zone."""
