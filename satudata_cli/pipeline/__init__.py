"""The use cases: the harvest run, the validate run, the harvest preview and
``sources check``. They put sources, the catalogue and the standard together; the CLI
builds a run from its options and renders what it returns."""
