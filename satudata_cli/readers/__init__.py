"""Readers of metadata files (JSON, JSON Lines, YAML, CSV/TSV, XLSX) as agencies hand
them over; used by ``validate`` and by the directory source."""
