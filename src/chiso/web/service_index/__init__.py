"""The monthly index of service to citizens and businesses (Decision 766/QĐ-TTg): the months
imported from the records, and their public pages."""
