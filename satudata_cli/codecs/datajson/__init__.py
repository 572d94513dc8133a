"""DCAT-US ``data.json``: a dataset -> record (:mod:`.read`), a record -> dataset
(:mod:`.write`), and the tables both use (:mod:`.terms`)."""
