#!/usr/bin/env python3
# Checks SQL scripts written by `trail-scan … --emit athena` without an AWS account: every
# statement must parse as Trino SQL with sqlglot (the DDL with its Athena dialect, which reads
# Hive DDL), and the query may call only functions that Trino has (Spark's would parse too:
# sqlglot is lenient, so this list is the check that the dialect was not mixed up).
#
# usage: athena-check.py SCRIPT...   output: one JSON object per script: {"path", "problems": [...]}
import json
import sys

import sqlglot
from sqlglot import ErrorLevel
from sqlglot.tokens import TokenType

# Trino functions and function-like keywords the translation may write (Trino 4xx docs).
TRINO = {
    "any_match", "array", "array_agg", "array_distinct", "array_join", "array_sort", "cardinality", "cast", "coalesce",
    "concat", "count", "date_parse", "element_at", "filter", "flatten", "floor", "format_datetime",
    "from_iso8601_timestamp", "from_unixtime", "json_extract", "json_extract_scalar", "json_format",
    "json_parse", "length", "lower", "lpad", "map", "map_values", "max", "millisecond", "min", "nullif",
    "regexp_extract", "regexp_like", "repeat", "replace", "row", "row_number", "split", "split_part", "substr",
    "sum", "to_unixtime", "transform", "try",
    "try_cast", "unnest", "with_timezone",
}
# Spark-only spellings that must never reach an Athena script.
SPARK_ONLY = {"lateral", "variant_get", "try_variant_get", "try_parse_json", "schema_of_variant",
              "is_variant_null", "collect_list", "named_struct", "size", "try_element_at", "date_format",
              "try_to_timestamp", "timestamp_seconds", "unix_seconds", "exists", "explode"}


def statements(script):
    out, current = [], []
    for line in script.splitlines():
        current.append(line)
        if line.rstrip().endswith(";"):
            text = "\n".join(current).rstrip().rstrip(";").strip()
            if text:
                out.append(text)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        out.append(rest)
    return out


def check(script):
    problems = []
    for statement in statements(script):
        head = statement.lstrip().split(None, 1)[0].upper()
        is_query = head in ("WITH", "SELECT")
        dialect = "trino" if is_query else "athena"
        try:
            sqlglot.parse_one(statement, read=dialect, error_level=ErrorLevel.RAISE)
        except Exception as error:  # a parse error is the finding
            problems.append(f"does not parse as {dialect}: {str(error)[:300]}")
            continue
        if not is_query:
            continue
        tokens = sqlglot.tokenize(statement, read="trino")
        for i, token in enumerate(tokens):
            word = token.text.lower()
            if word in SPARK_ONLY and token.token_type != TokenType.STRING:
                problems.append(f"Spark-only `{token.text}`")
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            previous = tokens[i - 1] if i > 0 else None
            if following is None or following.token_type != TokenType.L_PAREN:
                continue
            if token.token_type in (TokenType.STRING, TokenType.L_PAREN, TokenType.R_PAREN, TokenType.COMMA):
                continue
            if previous is not None and previous.token_type == TokenType.ALIAS:
                continue  # `AS name (` : a CTE or an UNNEST alias with its columns
            if token.token_type == TokenType.VAR or word in TRINO:
                if word not in TRINO:
                    problems.append(f"function `{token.text}` is not one of Trino's used here")
    return problems


def main():
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            print(json.dumps({"path": path, "problems": check(f.read())}), flush=True)


if __name__ == "__main__":
    main()
