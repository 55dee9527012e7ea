"""The `salesops` command (placeholder until the runner lands)."""


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("salesops: not implemented yet")
