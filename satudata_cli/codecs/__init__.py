"""One codec per foreign metadata format (CKAN, data.json / DCAT-US, DCAT): reading a
foreign record into the standard's record and writing a record back, side by side."""
