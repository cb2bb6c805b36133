"""Reading an import file: columns are checked before any row is looked at."""

from __future__ import annotations

import pytest

from wellflow_servicekit.problems import Problem
from wellflow_wells.app.imports import MAX_ROWS, parse_csv

HEADER = "Name, API_Number ,well_type,purpose,lease_name\n"


def test_rows_keep_their_line_numbers_and_drop_empty_cells_and_blank_lines():
    rows = parse_csv(HEADER + "A 1,42-329-00001,oil,development,Ranch\n\nB 2,42-329-00002,oil,,Ranch\n")
    assert rows == [
        (
            2,
            {
                "name": "A 1",
                "api_number": "42-329-00001",
                "well_type": "oil",
                "purpose": "development",
                "lease_name": "Ranch",
            },
        ),
        (4, {"name": "B 2", "api_number": "42-329-00002", "well_type": "oil", "lease_name": "Ranch"}),
    ]


def test_a_row_with_more_cells_than_columns_is_marked():
    [(_, row)] = parse_csv(HEADER + "A,42-329-00001,oil,development,Ranch,extra\n")
    assert row["__extra__"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("name,lease_name\nA,B\n", "Missing column(s): api_number, well_type, purpose"),
        ("name,api_number,well_type,purpose\nA,1,oil,development\n", "Name the lease"),
        ("name,api_number,well_type,purpose,lease_name,colour\n", "Unknown column(s): colour"),
    ],
)
def test_bad_headers_refuse_the_whole_file(text, words):
    with pytest.raises(Problem) as caught:
        parse_csv(text)
    assert caught.value.status == 422 and words in caught.value.detail


def test_too_many_rows():
    text = HEADER + "A,42-329-00001,oil,development,Ranch\n" * (MAX_ROWS + 1)
    with pytest.raises(Problem) as caught:
        parse_csv(text)
    assert caught.value.status == 413
