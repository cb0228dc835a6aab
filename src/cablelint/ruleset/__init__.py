"""The rules: specs, registry, checks, declarative kinds, reference data."""
