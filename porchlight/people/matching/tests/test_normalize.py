from __future__ import annotations

from porchlight.people.matching.normalize import match_record, street_key


def test_it_spells_a_street_one_way() -> None:
    assert street_key("300 Pine Rd") == street_key("300 Pine Road") == ("300 pine rd", "")
    assert (
        street_key("600 East 4th Street", "Apt 2") == street_key("600 E 4th St #2") == ("600 e 4th st", "2")
    )


def test_it_drops_accents_and_splits_compound_surnames_and_suffixes() -> None:
    record = match_record(unique_id=1, first_name="José", last_name="García-López Jr.")
    assert record.first_name == "jose"
    assert record.last_parts == ("garcia", "lopez")
    assert record.suffix == "jr"


def test_it_knows_nicknames() -> None:
    assert "robert" in match_record(unique_id=1, first_name="Bob").first_variants
