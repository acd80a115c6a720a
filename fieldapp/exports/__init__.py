"""Exports of district lists to CSV and XLSX: cells no spreadsheet runs as
formulas, rows streamed in chunks, and every student in a file written to
their access log as a disclosure (34 CFR 99.32)."""
