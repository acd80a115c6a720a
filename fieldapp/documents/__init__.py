"""Paperwork made from the record: case reports, letters, attendance plans.

Pure logic (no Flask): gather the facts a document prints, fingerprint them,
render the HTML in templates/documents/ (and letters/, plans/) to PDF with
WeasyPrint, and keep what was issued.
"""
