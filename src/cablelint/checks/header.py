"""header checks (stub: filled in by the rule catalogue work)."""
