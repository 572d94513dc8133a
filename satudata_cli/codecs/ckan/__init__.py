"""CKAN: the Action API client (:mod:`.client`), the package -> record mapping
(:mod:`.read`) and its inverse, record -> package (:mod:`.write`); :mod:`.package` holds
what both directions know about a package's own keys."""
