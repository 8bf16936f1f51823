"""PII scrubbing: a table of tricky cases, each either scrubbed or deliberately left alone."""

from __future__ import annotations

import pytest

from porchlight.people.scrub import scrub

KNOWN = ["Maria Lopez", "Rose Hill"]

CASES = [
    # phones in any US format
    ("Call me at (704) 555-0134 after 5", "Call me at [phone] after 5"),
    ("my cell is 704.555.0134", "my cell is [phone]"),
    ("text +1 704 555 0134 anytime", "text [phone] anytime"),
    ("my number 7045550134", "my number [phone]"),
    ("reach her at 555-0199", "reach her at [phone]"),
    # numbers that are not phones
    ("Rent went up to $1,200 last year", None),
    ("It cost $1,200,000 to build", None),
    ("I have 3 kids and we moved here in 2019", None),
    ("Call 911 if you see it", None),
    ("I make $15.50 an hour, 40 hours a week", None),
    ("ZIP codes 28205 and 28206", None),
    ("Between 5 and 7 pm it gets bad", None),
    ("Born 01/02/1980", None),
    # emails
    ("email me at maria.l+city@gmail.com please", "email me at [email] please"),
    ("ana_b@charlotte.nc.gov wrote back", "[email] wrote back"),
    # street addresses
    ("We live at 123 Main St Apt 4 and the light is out", "We live at [address] and the light is out"),
    ("the corner of 4500 N. Tryon Street is dark", "the corner of [address] is dark"),
    ("we live at 123 main st apt 4", "we live at [address]"),
    ("Vivo en la calle Sugar Creek 3201, depto 5", "Vivo en la [address]"),
    ("I waited 2 hours on the road", None),
    ("go down 5 blocks to the park", None),
    ("Park Ave is dark at night", None),
    ("The 5th Street bridge needs lights", None),
    # names: known ones anywhere, others after a cue
    ("Maria said the park is unsafe", "[name] said the park is unsafe"),
    ("maria lopez called twice", "[name] called twice"),
    ("The rent rose again", None),
    ("Rose told us about the rent", "[name] told us about the rent"),
    ("Hope is what we need here", None),
    ("My name is John Smith and I worry about crime", "My name is [name] and I worry about crime"),
    ("Ms. Johnson on the corner watches the kids", "Ms. [name] on the corner watches the kids"),
    ("I spoke with Ana about rent", "I spoke with [name] about rent"),
    ("my neighbor said the police never come", None),
    ("Mr. Mayor please help", None),
    # Spanish
    ("Me llamo María José y necesito trabajo", "Me llamo [name] y necesito trabajo"),
    ("mi vecina Rosa dice que no hay luz", "mi vecina [name] dice que no hay luz"),
    ("Sra. Gómez de la Cruz dijo que sí", "Sra. [name] dijo que sí"),
    ("hablé con Doña Carmen ayer", "hablé con [name] ayer"),
    ("La seguridad es lo más importante", None),
    # several at once
    (
        "Call me: 704-555-0134 or ana@x.org. I live at 900 E 7th St, Charlotte, NC 28202.",
        "Call me: [phone] or [email]. I live at [address], Charlotte, NC 28202.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_it_scrubs_personal_data_and_keeps_the_rest(text: str, expected: str | None) -> None:
    assert scrub(text, known_names=KNOWN) == (text if expected is None else expected)


def test_it_leaves_empty_text_alone() -> None:
    assert scrub("") == ""


def test_it_replaces_a_full_known_name_before_its_parts() -> None:
    assert scrub("Maria Lopez and Maria", known_names=["Maria Lopez"]) == "[name] and [name]"
