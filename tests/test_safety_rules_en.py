"""English phrase rules of the crisis screen, rules only (no learned layer).

Each indirect family the rules now read as urgent has a case here, next to a
look-alike written to sound like it that must not read as urgent.  All the
sentences are written for this file (not taken from the data sets).
"""

import pytest

from storyloom.safety import Risk, assess
from storyloom.text import prepare


def rules(text: str) -> Risk:
    return assess(prepare(text, "en"), embeddings=False).risk


URGENT = [
    # joining someone who died
    "Grandad has been gone a year now and I'm ready to be with him tonight.",
    # researching the method
    "Since my sister died I looked up exactly how she did it. I've picked the day.",
    # life insurance checked so that it pays out
    "Phoned the insurer twice this week to be certain my life policy pays out to the kids.",
    # car exhaust / hose
    "Picked up a length of hose and a roll of duct tape for the car on the way home.",
    # pills gathered, pills with alcohol
    "I've been saving my sleeping tablets for weeks and now there are enough.",
    # letters for the family plus a time chosen
    "I've written letters for the kids and left them where they'll find them. "
    "I'll do it tomorrow after everyone's gone to bed.",
    # strangulation told plainly, with the threat that it will go further
    "He squeezed my neck against the fridge and said next time he won't let go.",
    # a named threat at school with a knife
    "Jordan keeps telling the whole class I'm dead at lunch tomorrow, and he's bringing his cousin's knife.",
    # doxxing with a threat
    "Someone posted my home address in the group chat and wrote that they're coming for me.",
    # no longer a problem / burden
    "Don't worry about the rent, I won't be a burden to anyone much longer.",
    # finality + goodbye ("checking out", "this is the last ...")
    "I'm checking out tonight. Love you all.",
    "This is the last page I will write. The letters for everyone are in my desk drawer.",
    # self-harm meant to kill
    "Tonight I'm going to cut until it stops.",
    # a firearm at hand plus revenge
    "My stepbrother's rifle is in the shed and I know when the supervisor leaves. He won't be laughing then.",
]

NOT_URGENT = [
    # a visit, not joining the dead
    "I'm going to be with Grandma for the holidays, she makes the best apple pie.",
    # a magic trick
    "I looked up exactly how he did it, the magician's card trick was so simple.",
    # travel insurance
    "Checked that the travel insurance pays out for the cancelled flight to Rome.",
    # a garden hose
    "Bought a new hose for the garden and watered the tomatoes before dinner.",
    # an ordinary pill organiser
    "Mum counted out her blood pressure tablets for the week ahead.",
    # a physio, not strangulation
    "The physio squeezed my shoulder and said the knot was finally gone.",
    # slang
    "I'm dead after mum sees this report card lol.",
    # an embarrassing post, no threat
    "I accidentally posted my phone number on the class page, so embarrassing, deleted it fast.",
    # a tap, not a person
    "The leaky tap won't be a problem much longer, the plumber comes on Tuesday.",
    # a hotel
    "We're checking out of the hotel at ten and then driving down the coast.",
    # a travel journal
    "This is the last page of my travel journal. Rome was wonderful and we fly home tomorrow.",
    # hyperbole at a church bake sale
    "Nearly killed myself hauling the tables for the church bake sale, but we raised four hundred pounds.",
    # moving abroad and giving things away
    "Moving abroad next month, so I gave away my bike and said goodbye to everyone at the office.",
    # deleting social media before exams
    "Deleted all my accounts until exams are over. See you all in June!",
    # graduation farewells
    "Graduation today! Said goodbye to everyone and wrote cards to my favourite teachers. Love you all.",
    # a hunting rifle in an ordinary story
    "Dad cleaned his rifle before deer season and showed me how the safety catch works.",
]


@pytest.mark.parametrize("text", URGENT)
def test_indirect_families_read_urgent_by_rules_alone(text):
    assert rules(text) == Risk.urgent, assess(prepare(text, "en"), embeddings=False).to_dict()


@pytest.mark.parametrize("text", NOT_URGENT)
def test_look_alikes_do_not_read_urgent(text):
    assert rules(text) != Risk.urgent, assess(prepare(text, "en"), embeddings=False).to_dict()
