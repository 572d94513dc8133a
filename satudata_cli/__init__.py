"""satudata: Satu Data Indonesia metadata tooling for walidata and produsen data.

The library is laid out as a map of the pipeline:

    sources -> catalogue -> standard -> publish -> reports

Everything under ``satudata_cli`` returns result objects; only ``satudata_cli.cli``
prints, renders and chooses exit codes.
"""

from __future__ import annotations

__version__ = "0.1.0"
USER_AGENT = f"satudata/{__version__}"
