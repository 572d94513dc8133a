"""What a CKAN package holds of CKAN's own, known to both directions of the mapping."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["CKAN_CORE_KEYS", "RESOURCE_TEXT_KEYS", "TERM_KEY"]

#: Text keys of a resource both directions carry (besides ``size`` and
#: ``last_modified``): CKAN's own (``mimetype``, ``hash``) and two it keeps as resource
#: extras (a distribution's own licence, its access URL next to the download URL).
RESOURCE_TEXT_KEYS: Final = (
    "name",
    "url",
    "format",
    "mimetype",
    "description",
    "hash",
    "license_id",
    "access_url",
)
#: A key named like a prefixed term (``dct:conformsTo``, ``dcat:version``): the terms
#: a record or resource keeps in its ``extras`` map (what the DCAT reader reads and the
#: standard has no field for). CKAN has no key named ``extras`` of its own to give
#: (it is the package's list of extras, and a resource's is dropped by CKAN), so each
#: entry travels as an extra (a resource key) under its term's name.
TERM_KEY: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z_][A-Za-z0-9_.-]*$")

#: Top-level keys of a CKAN package that are CKAN's own (core fields and bookkeeping).
#: Any other top-level key is a custom field of a ckanext-scheming portal ("flattened
#: extras") and is treated like an extra.
CKAN_CORE_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "name",
        "title",
        "notes",
        "url",
        "version",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "license_id",
        "license_title",
        "license_url",
        "isopen",
        "state",
        "type",
        "private",
        "owner_org",
        "organization",
        "groups",
        "tags",
        "extras",
        "resources",
        "num_resources",
        "num_tags",
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
        "revision_id",
        "relationships_as_object",
        "relationships_as_subject",
        "tracking_summary",
        "total_res_downloads",
        "ratings_average",
        "ratings_count",
        "score",
        "index_id",
        "site_id",
        "data_dict",
        "validated_data_dict",
    }
)
