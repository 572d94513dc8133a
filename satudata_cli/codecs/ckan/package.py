"""What a CKAN package holds of CKAN's own, known to both directions of the mapping."""

from __future__ import annotations

__all__ = ["CKAN_CORE_KEYS"]

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
