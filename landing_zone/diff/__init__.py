"""`lz diff`: what a blueprint change does to the landing zone — stacks, risks, guardrails, decisions.

Entry points: landing_zone.diff.build.run_diff (and compare), the renderers in text, markdown and
jsonout, the click command in command. Nothing is imported here, so `lz --help` stays fast."""
