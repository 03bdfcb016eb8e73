"""Interop: the plan as iCalendar, contacts from an HRIS CSV, the whole data set as JSON/CSV.

``ics`` builds RFC 5545 calendars with the icalendar library; ``csv_import`` reads a
spreadsheet of people into contacts; ``dump`` exports everything (JSON), contacts (CSV), and
restores a JSON export into an empty data home; ``mail`` sends the digest. Functions of data
and bytes: the CLI reads and writes the store.
"""
