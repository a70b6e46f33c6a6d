"""The project's date and time formats for Django (``FORMAT_MODULE_PATH``), one module per
language: the rule of :func:`chiso.numbers.format_date` (dd/mm/yyyy in Vietnamese, ISO in
English) for the datetimes a page prints too (``{{ publication.created_at }}``, ``|date``
without a format), in the local time the settings name (``TIME_ZONE``), never Django's
"Dec. 6, 2026, 11:12 p.m." beside an ISO date."""
