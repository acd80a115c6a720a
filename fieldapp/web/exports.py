"""Exports of the supervisor's lists, as CSV or XLSX, streamed.

An export is a POST (it writes each student it holds to their access log as
a disclosure); the list's filters ride in the query string, as on screen."""

from flask import Blueprint, Response, abort, current_app, request, stream_with_context
from flask_login import current_user, login_required

from fieldapp.cases import caselist, contact_log
from fieldapp.db import database
from fieldapp.exports import datasets, writers, xlsx
from fieldapp.rules.settings import from_config
from fieldapp.web.helpers import client_ip, require, user_today

bp = Blueprint("exports", __name__)
FORMATS = {"csv": (writers.csv_chunks, writers.CSV_TYPE), "xlsx": (xlsx.xlsx_chunks, xlsx.XLSX_TYPE)}


def _dataset(name):
    args = request.args
    if name == "cases":
        filters, _ = caselist.parse_filters(args)
        return datasets.cases(filters, caselist.parse_sort(args.get("sort", "")), from_config(current_app.config))
    if name == "contacts":
        return datasets.contacts(contact_log.parse_filters(args)[0])
    if name == "letters":
        return datasets.letters_sent(caselist.parse_filters(args)[0])
    if name == "worklist":
        filters, _ = caselist.parse_filters(args)
        school_ids = [filters["school"]] if "school" in filters else None
        return datasets.worklist(from_config(current_app.config), school_ids)
    abort(404)


@bp.route("/supervisor/export/<any(cases, contacts, letters, worklist):name>", methods=["POST"])
@login_required
def export(name):
    require("export.district")
    fmt = request.form.get("format", "")
    if fmt not in FORMATS:  # the buttons send csv or xlsx
        abort(400)
    dataset = _dataset(name)
    with database.atomic():
        datasets.record_disclosure(current_user, dataset.students, request.full_path, client_ip())
    write, mimetype = FORMATS[fmt]
    filename = f"{dataset.name}-{user_today(current_user).isoformat()}.{fmt}"
    chunks = write(dataset.header, dataset.rows()) if fmt == "csv" else \
        write(dataset.header, dataset.rows(), dataset.name)
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
