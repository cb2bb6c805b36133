from wellflow_production.domain.well_names import well_label


def test_a_name_that_carries_its_number_is_not_given_it_twice():
    assert well_label("Whitfield 10", "10") == "Whitfield 10"
    assert well_label("Pruitt 2H", "2h") == "Pruitt 2H"


def test_a_bare_name_gets_its_number_and_a_well_without_one_keeps_its_name():
    assert well_label("Whitfield", "10") == "Whitfield 10"
    assert well_label("Hollis Gas Unit 1", None) == "Hollis Gas Unit 1"
    assert well_label("Ranch  A", " ") == "Ranch A"


def test_a_number_inside_the_name_is_not_the_end_of_it():
    assert well_label("Unit 10 East", "10") == "Unit 10 East 10"
