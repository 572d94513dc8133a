"""Publishing the katalog to a CKAN portal (``satudata publish``).

``config`` reads the targets (``harvest_configs/targets/<id>.yaml``), ``mapping`` turns
a canonical record into a CKAN package under a target's rules (with the CKAN codec,
:mod:`satudata_cli.codecs.ckan`, whose client also talks to the Action API), and
``engine`` runs it all and returns a :class:`PublishReport`; what was published is kept
by the catalogue (``Catalogue.publish_state``). Nothing here prints or exits.
"""

from __future__ import annotations

from satudata_cli.publish.config import TargetConfig, find_target, load_target, load_targets
from satudata_cli.publish.engine import DatasetOutcome, Publisher, PublishReport
from satudata_cli.publish.errors import PortalError, PublishError, TargetConfigError

__all__ = [
    "DatasetOutcome",
    "PortalError",
    "PublishError",
    "PublishReport",
    "Publisher",
    "TargetConfig",
    "TargetConfigError",
    "find_target",
    "load_target",
    "load_targets",
]
