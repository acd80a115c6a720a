"""The checked rows of a OneRoster export's files, read as a stream."""
from operator import itemgetter

from fieldapp.imports.csvfile import CsvFile, cells_not_header, longer_than
from fieldapp.imports.oneroster_files import ALIASES, COLUMNS, MULTILINE, NOT_READ
from fieldapp.imports.repeats import ROW, fingerprint

# Columns whose cells checked_rows lets through however long: those not read (a user's password, a row's
# dateLastModified: their length refused students whom nothing read of them concerns), and the optional
# details that the check leaves out itself when too long, noting it, and keeps the record (roster_left_out.LeftOut).
NOT_MEASURED = {
    "orgs": {"dateLastModified", "metadata.address", "metadata.phone"},
    "users": {"dateLastModified", "enabledUser", "username", "userIds", "password", "email", "sms", "phone",
              "grades"},
    "demographics": set(COLUMNS["demographics"][1]) - {"status"},
    "enrollments": {"dateLastModified", "primary"},
}

MAX_CELL = 255  # the longest value a roster field holds


def checked_rows(source, name, report, limits, wanted=None, stream=None, first_line=0, files=None):
    """(row, {column: value}) of one file, checked for columns, width and
    length, as it is read: a stream, so a roster of a million rows is never
    held whole (only the Plan built from it is). wanted (column names):
    (row, tuple of those columns' values) instead, "" for a column the file
    lacks (users.csv's and demographics.csv's hundreds of thousands of rows
    are read so, without a dict each). stream: the file's bytes from
    elsewhere (a part of it: see oneroster_parts.in_parts), whose rows are numbered
    first_line on from the file's; files: a list the CsvFile is put in.
    The row's fingerprint (csvfile.fingerprint of all its cells, read or not:
    see csvfile.FirstRows) is handed as the value of column ROW, in a dict
    always, in a tuple when wanted names it."""
    required, optional = COLUMNS[name]
    columns = required + optional
    whole = stream is None
    stream = source.open(f"{name}.csv") if whole else stream
    with stream:
        file = CsvFile(stream, f"{name}.csv", required, optional, max_rows=limits.max_rows if whole else None,
                       max_bytes=source.max_bytes, aliases=ALIASES.get(name),
                       multiline=MULTILINE.get(name, ()))
        if files is not None:
            files.append(file)
        # as the header writes them (OneRoster 1.0's userId for userIds)
        file.ignored[:0] = [file.header[file.columns[column]] for column in NOT_READ.get(name, ()) if file.has(column)]
        report.note_ignored_columns(file)
        width = file.width
        # a column the file lacks is read from an empty cell put after the row's last
        places = [file.columns[c] if file.has(c) else width for c in columns]
        # the values handed on: every known column (a dict), or those wanted (a tuple)
        printed = not wanted or ROW in wanted
        wanted = wanted and tuple(c for c in wanted if c != ROW)
        handed = [places[columns.index(c)] for c in wanted] if wanted else places
        lacks = width in handed
        measured = [(c, i) for c, i in zip(columns, places) if i < width and c not in NOT_MEASURED[name]]
        cells_read = itemgetter(*handed)
        for line, cells in file.rows(report, first_line):
            line += first_line
            report.rows_read += 1
            if len(cells) != width:
                report.problem(file.name, line, cells_not_header(len(cells), width))
                continue
            # a cell as written is never shorter than stripped; most rows are shorter than one long cell
            if len("".join(cells)) > MAX_CELL and max(map(len, cells)) > MAX_CELL:
                long = [c for c, i in measured if len(cells[i].strip()) > MAX_CELL]
                if long:
                    report.problem(file.name, line, longer_than(long, MAX_CELL))
                    continue
            row_print = fingerprint(cells) if printed else None
            if lacks:
                cells.append("")
            values = tuple(map(str.strip, cells_read(cells)))
            if not wanted:
                values = dict(zip(columns, values))
                values[ROW] = row_print
            elif printed:
                values += (row_print,)
            yield line, values


def cells_at(source, file, lines):
    """(header, {row: cells}) of the rows of file (a name, "users.csv") numbered in lines (a set), read
    again from the top (csvfile.explain_duplicates)."""
    name = file[:-4]
    required, optional = COLUMNS[name]
    found = {}
    with source.open(file) as stream:
        csv_file = CsvFile(stream, file, required, optional, max_bytes=source.max_bytes, aliases=ALIASES.get(name),
                           multiline=MULTILINE.get(name, ()))
        for line, cells in csv_file.rows():
            if line in lines:
                found[line] = cells
                if len(found) == len(lines):
                    break
        return csv_file.header, found
