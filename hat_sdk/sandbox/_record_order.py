"""The HAT's record order as SQLite ``ORDER BY`` terms, so pages are cut in SQL (issue 15).

The server orders an endpoint's records by the JSONB value at ``orderBy`` (``data #> path``),
else by the record's date, ascending or descending, with records lacking the field last either
way (``asc.nullsLast`` / ``desc.nullsLast``), then skips and takes in SQL ([HAT]
``hat/app/org/hatdex/hat/api/service/richData/RichDataService.scala:446-484``). Ties, which
Postgres leaves in no defined order, keep the sandbox's insertion order: oldest first, except
that a descending date order lists the newest first.

JSONB orders values by type first (null < string < number < boolean < array < object), then
within the type; SQLite's JSON functions give the type and the scalar value, and the
``jsonb`` collation compares arrays and objects with ``_bundles.jsonb_compare``. A field
path whose parts are plain names becomes a SQLite JSON path; any other (array indexes, numeric
names, which match object keys and array positions alike) is read by ``_bundles.pick`` in
the ``hat_pick`` SQL function, slower but identical.
"""

from __future__ import annotations

import json
import re
import sqlite3

from hat_sdk.sandbox._bundles import has, jsonb_compare, pick

_PLAIN_PART = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\[\])?$")
_COMPOSITE = "('array', 'object')"
_TYPE_RANK = (
    "CASE {t} WHEN 'null' THEN 0 WHEN 'text' THEN 1 WHEN 'integer' THEN 2 WHEN 'real' THEN 2"
    " WHEN 'false' THEN 3 WHEN 'true' THEN 3 WHEN 'array' THEN 4 ELSE 5 END"
)


def _jsonb_collation(left: str, right: str) -> int:
    return jsonb_compare(json.loads(left), json.loads(right))


def _hat_pick(data: str, field: str) -> str | None:
    value = pick(json.loads(data), field)
    return json.dumps(value) if has(value) else None


def register(connection: sqlite3.Connection) -> None:
    """Add the ``jsonb`` collation and the ``hat_pick(data, field)`` function the terms use."""
    connection.create_collation("jsonb", _jsonb_collation)
    connection.create_function("hat_pick", 2, _hat_pick, deterministic=True)


def _sqlite_path(field: str) -> str | None:
    """``$."a"."b"`` for ``a.b`` (``name[]`` is ``name``); ``None`` unless every part is a name."""
    labels = []
    for part in field.split("."):
        match = _PLAIN_PART.match(part)
        if match is None:
            return None
        labels.append(f'."{match.group(1)}"')
    return "$" + "".join(labels)


def date_page_query(descending: bool, *, after: bool) -> str:
    """SQL selecting the ``seq`` and ``date`` of the records of ``:source`` in date order: the
    ``:take`` from ``:skip`` on, or with ``after`` the ``:take`` that follow the record at
    (``:date``, ``:seq``), which is the same page when that record ends the page before and
    nothing was written since, without stepping over the records before it."""
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    order = f"ORDER BY date {direction}, seq {direction}"
    if not after:
        # Served by the (source, date, seq) index: no sort at all.
        return (
            f"SELECT seq, date FROM records WHERE source = :source {order} LIMIT :take OFFSET :skip"
        )
    # Two index ranges (the rest of the last record's date, then the dates beyond it): SQLite
    # would bound a row-value comparison by its date alone and scan every tie.
    source = "SELECT seq, date FROM records WHERE source = :source AND"
    same_date = f"{source} date = :date AND seq {beyond} :seq {order} LIMIT :take"
    later = f"{source} date {beyond} :date {order} LIMIT :take"
    return (
        f"SELECT seq, date FROM ({same_date})"
        f" UNION ALL SELECT seq, date FROM ({later}) {order} LIMIT :take"
    )


def page_query(order_by: str, descending: bool) -> tuple[str, dict[str, str]]:
    """SQL selecting the ``seq`` of records ``:skip`` to ``:skip + :take`` of ``:source`` in
    the order of the data field ``order_by``, and its named parameters besides those three.

    The field's type and value are computed once per record (a materialized CTE), and only
    ``seq`` goes through the sort, so a page costs a scan of small keys, not of the records.
    """
    direction = "DESC" if descending else "ASC"
    path = _sqlite_path(order_by)
    if path is None:
        document, params = "hat_pick(data, :order_field)", {"order_path": "$"}
        params["order_field"] = order_by
    else:
        document, params = "data", {"order_path": path}
    terms = ", ".join(
        [
            "t IS NULL",
            f"{_TYPE_RANK.format(t='t')} {direction}",
            f"CASE WHEN t IN {_COMPOSITE} THEN NULL ELSE v END {direction}",
            f"CASE WHEN t IN {_COMPOSITE} THEN v END COLLATE jsonb {direction}",
            "seq ASC",
        ]
    )
    return (
        "WITH keyed AS MATERIALIZED (SELECT seq,"
        f" json_type({document}, :order_path) AS t, json_extract({document}, :order_path) AS v"
        " FROM records WHERE source = :source)"
        f" SELECT seq FROM keyed ORDER BY {terms} LIMIT :take OFFSET :skip"
    ), params
