"""satudata: Satu Data Indonesia metadata tooling for walidata and produsen data.

The library is laid out as a map of the pipeline, in layers (each imports only from
the layers below it; ``lint-imports`` checks the contract in ``pyproject.toml``)::

    cli                                      parses arguments, prints, exits
    pipeline | publish | reports | exports | links   the use cases
    sources | catalogue                      where records come from, where they are kept
    codecs | readers                         foreign formats, metadata files
    standard                                 the standard as code
    core                                     shared infrastructure

See ``docs/architecture.md``.

Everything under ``satudata_cli`` returns result objects; only ``satudata_cli.cli``
prints, renders and chooses exit codes.
"""

from __future__ import annotations

__version__ = "0.1.0"
USER_AGENT = f"satudata/{__version__}"
