"""One codec per foreign metadata format: reading a foreign record into the standard's
record and writing a record back, side by side.

- :mod:`~satudata_cli.codecs.ckan`: CKAN's Action API client (``client``), package ->
  record (``read``) and record -> package (``write``);
- :mod:`~satudata_cli.codecs.datajson`: DCAT-US ``data.json`` (``read``, ``write``, the
  shared ``terms``);
- :mod:`~satudata_cli.codecs.dcat`: DCAT in RDF (``rdf`` parsing, ``read``, ``write``,
  the one ``vocab`` table of IRIs both directions use).

A codec knows a format, not where its documents come from or go to: it imports only
``standard`` and ``core``. Sources fetch and page, exporters stream, publish decides
what to send; all of them call the codecs.
"""
