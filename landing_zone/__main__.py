"""`python -m landing_zone` runs the `lz` command line."""
from landing_zone.cli import main

main()
