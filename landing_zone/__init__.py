"""Landing zone generator: one blueprint in, a verified AWS landing zone out."""
__version__ = "0.1.0"
