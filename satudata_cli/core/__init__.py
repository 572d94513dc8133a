"""Shared infrastructure every layer may use: the error root, messages in two
languages, spreadsheet-cell safety, the HTTP client and the YAML config-file loader.

Nothing here knows about sources, the catalogue or the standard.
"""
