"""DCAT in RDF: parsing a document safely (:mod:`.rdf`), a graph -> records
(:mod:`.read`), records -> a graph (:mod:`.write`), and the one vocabulary table both
directions use (:mod:`.vocab`)."""
