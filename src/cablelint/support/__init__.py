"""Support: records, shipped resources, YAML loading, the per-user cache."""
