"""metrics layer of the salesops kit (see docs/ARCHITECTURE.md)."""
