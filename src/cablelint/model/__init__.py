"""The model: the cable model, its builder, source text and positions, diagnostics."""
