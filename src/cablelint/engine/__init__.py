"""The engine: lint one text, fix, configuration and its resolution, result cache, baseline."""
