"""The public archive of published results: a page per province across PAR INDEX, SIPAS and
PAPI, and the whole archive as open data."""
