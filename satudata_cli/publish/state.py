"""The publish state of a target: kept in the catalogue, behind its methods.

:class:`PublishState` and :class:`StateRow` live in
:mod:`satudata_cli.catalogue.publish_state`; a publish run obtains the state of its
target with ``catalogue.publish_state(target_id)``. This module keeps the names
importable from the publish package.
"""

from __future__ import annotations

from satudata_cli.catalogue.publish_state import PublishState, StateRow

__all__ = ["PublishState", "StateRow"]
