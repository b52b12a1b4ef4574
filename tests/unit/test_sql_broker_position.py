"""Reading Rasa's SQL broker table: the position only advances through ids with no hole before them."""

from event_service.sql_broker import contiguous_prefix


def test_contiguous_ids_are_all_taken() -> None:
    assert contiguous_prefix(0, [1, 2, 3]) == 3
    assert contiguous_prefix(41, [42, 43]) == 2


def test_ids_after_a_hole_wait() -> None:
    assert contiguous_prefix(0, [1, 2, 4, 5]) == 2
    assert contiguous_prefix(10, [12, 13]) == 0


def test_nothing_to_take() -> None:
    assert contiguous_prefix(5, []) == 0
