"""Stacks: one per account role and region (DESIGN.md §5)."""
