"""Tests of the online deploy commands."""
