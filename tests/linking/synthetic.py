"""A seeded synthetic population of concerns with planted networks, for measuring linking.

Every planted network has one person who may be causing harm, with a phone, a car, a place, an online
account and a nickname, and several concerns about different young people that each mention some of
them, written the ways people really type them (spaces, case, +44 and 0044, punctuation, misread
plates, spellings and transliterations of names, ages given roughly or as a date of birth). Background
concerns are unrelated, but share what populations share: common first names and names, postcode
districts, ages. All of it fictional: phones in 07700 900000-900999, made-up names and registrations.

`population(seed, networks, background)` gives the answers to submit, each with its planted network
(None for background) and the planted things it mentions, so that a test knows the true links.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

FIRST_NAMES = [
    "Jay", "Amir", "Chloe", "Kacey", "Tia", "Leon", "Maya", "Ryan", "Sofia", "Kai", "Ellie", "Tyler",
    "Aisha", "Connor", "Jade", "Reece", "Nadia", "Liam", "Keira", "Owen", "Zara", "Declan", "Imani",
    "Callum", "Hollie", "Jordan", "Leah", "Mason", "Niamh", "Rhys", "Skye", "Theo", "Yasmin", "Brandon",
]  # fmt: skip
SURNAMES = [
    "Fictional", "Testwood", "Madeup", "Pretendly", "Samplesby", "Notreal", "Inventon", "Dummett",
    "Placeholt", "Examplar", "Mockridge", "Fakenham", "Storyby", "Draftley", "Nomansland", "Paperton",
]  # fmt: skip
# Names people write several ways; a planted person is written in any of them.
SPELLINGS = [
    ["Mohammed Ali", "Muhammad Aly", "Mohamed Ali", "Mohammad Ali"],
    ["Aleksandr Petrovsky", "Alexander Petrovsky", "Aleksander Petrovski"],
    ["Jayden Okafor", "Jaiden Okafor", "Jaydon Okafor"],
    ["Katie Brownfield", "Katy Brownfield", "Katie Brownfeild"],
    ["Shaun Macready", "Sean Macready", "Shawn Macready"],
    ["Yusuf Karimov", "Yousef Karimov", "Yusef Karimov"],
    ["Stephen Okonjo", "Steven Okonjo", "Stefan Okonjo"],
    ["Connor Fenwickson", "Conor Fenwickson", "Connor Fenwicksen"],
]
NICKNAMES = [
    "Zeph", "Big Z", "Tiny", "Ghost", "Snoops", "Deeno", "Rocco", "Juice", "Kilo", "Flash", "Blaze",
    "Bones", "Dutch", "Mouse", "Ratchet", "Spider", "Tank", "Vex", "Wiz", "Yardie",
]  # fmt: skip
DISTRICTS = ["NE1", "NE2", "NE4", "NE6", "NE15"]
VENUES = [
    "Fictional Lodge",
    "Pretend Parade flats",
    "Mockridge Motel",
    "Sample Street garages",
    "Testwood Park",
]
LETTERS = "ACDEFHJKLMNPRTUVWXY"  # no B, I, O, S, Z: a misread plate is planted on purpose, not by chance
# Digits read as letters on a plate (a misread the lookalike key knows).
MISREAD = {"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z"}


@dataclass
class Planted:
    answers: dict[str, Any]
    network: int | None
    received_at: datetime.datetime
    things: set[str] = field(default_factory=set)  # what planted things it mentions ("phone:3")
    person: str = ""  # the person at risk it is about, as planted ("victim:3:1")


def _phone(rng: random.Random, used: set[int]) -> int:
    while (n := rng.randrange(1000)) in used:
        pass
    used.add(n)
    return n


def _phone_typed(n: int, rng: random.Random) -> str:
    forms = [
        f"07700 900{n:03d}",
        f"07700900{n:03d}",
        f"+44 7700 900{n:03d}",
        f"+44 (0)7700 900{n:03d}",
        f"0044 7700 900{n:03d}",
        f"07700-900-{n:03d}",
    ]
    return rng.choice(forms)


def _registration(rng: random.Random, used: set[str]) -> str:
    while True:
        plate = "".join(rng.choice(LETTERS) for _ in range(2)) + f"{rng.randrange(10, 75):02d}"
        plate += "".join(rng.choice(LETTERS) for _ in range(3))
        if plate not in used:
            used.add(plate)
            return plate


def _registration_typed(plate: str, rng: random.Random, misread: float) -> tuple[str, bool]:
    if rng.random() < misread:
        position = rng.choice([i for i, c in enumerate(plate) if c in MISREAD] or [0])
        plate = plate[:position] + MISREAD.get(plate[position], plate[position]) + plate[position + 1 :]
        return f"{plate[:4]} {plate[4:]}", True
    forms = [
        f"{plate[:4]} {plate[4:]}",
        plate.lower(),
        f"{plate[:2]}-{plate[2:4]}-{plate[4:]}",
        f" {plate[:4]}  {plate[4:]} ",
    ]
    return rng.choice(forms), False


def _age_typed(born: datetime.date, on: datetime.date, rng: random.Random) -> dict[str, str]:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    choice = rng.random()
    if choice < 0.3:
        return {"date_of_birth": born.isoformat()}
    if choice < 0.8:
        return {"age": str(age)}
    return {"age": str(age + rng.choice([-1, 1]))}  # a guess a year out


def population(*, seed: int = 9, networks: int = 12, background: int = 200) -> list[Planted]:
    rng = random.Random(seed)
    start = datetime.datetime(2025, 1, 6, 10, 0, tzinfo=datetime.UTC)
    phones: set[int] = set()
    plates: set[str] = set()
    planted: list[Planted] = []
    for network in range(networks):
        spellings = SPELLINGS[network % len(SPELLINGS)]
        harm_born = datetime.date(rng.randrange(1975, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
        phone, plate = _phone(rng, phones), _registration(rng, plates)
        district = rng.choice(DISTRICTS)
        place = {
            "venue": f"{rng.choice(VENUES)} {network}",
            "postcode": f"{district} {rng.randrange(1, 10)}ZZ",
        }
        handle = f"planted_{network}_{rng.randrange(100, 999)}"
        nickname = NICKNAMES[network % len(NICKNAMES)]
        victims = [
            (
                f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                datetime.date(rng.randrange(2008, 2012), rng.randrange(1, 13), rng.randrange(1, 29)),
            )
            for _ in range(rng.randrange(3, 6))
        ]
        begun = start + datetime.timedelta(days=rng.randrange(0, 200))
        for number in range(rng.randrange(3, 7)):
            received = begun + datetime.timedelta(days=number * rng.randrange(20, 90))
            on = received.date()
            victim = number % len(victims)
            victim_name, victim_born = victims[victim]
            answers: dict[str, Any] = {"about": "child", "narrative": "A fictional planted concern."}
            people = [{"role": "at_risk", "name": victim_name, **_age_typed(victim_born, on, rng)}]
            things: set[str] = set()
            mentions = rng.sample(["phone", "vehicle", "person", "place", "account"], k=rng.randrange(2, 5))
            if "person" in mentions or rng.random() < 0.5:
                person: dict[str, Any] = {"role": "harming"}
                if "person" in mentions:
                    person["name"] = rng.choice(spellings)
                    person.update(_age_typed(harm_born, on, rng))
                    things.add(f"person:{network}")
                if rng.random() < 0.5:
                    person["nicknames"] = nickname if rng.random() < 0.7 else nickname.lower()
                    things.add(f"nickname:{network}")
                if len(person) > 1:
                    people.append(person)
            answers["people"] = people
            if "phone" in mentions:
                answers["phones"] = [_phone_typed(phone, rng)]
                things.add(f"phone:{network}")
            if "vehicle" in mentions:
                typed, misread = _registration_typed(plate, rng, misread=0.1)
                answers["vehicles"] = [typed]
                things.add(f"vehicle_misread:{network}" if misread else f"vehicle:{network}")
            if "place" in mentions:
                answers["places"] = [dict(place)]
                things.add(f"place:{network}")
            if "account" in mentions:
                platform = rng.choice(["Snapchat", "snap", "SNAPCHAT"])
                answers["online_accounts"] = [
                    {"platform": platform, "handle": rng.choice([handle, "@" + handle, handle.upper()])}
                ]
                things.add(f"account:{network}")
            planted.append(Planted(answers, network, received, things, f"victim:{network}:{victim}"))
    for number in range(background):
        received = start + datetime.timedelta(days=rng.randrange(0, 540), hours=rng.randrange(0, 8))
        on = received.date()
        first = rng.choice(FIRST_NAMES)
        name = first if rng.random() < 0.3 else f"{first} {rng.choice(SURNAMES)}"
        born = datetime.date(rng.randrange(1940, 2012), rng.randrange(1, 13), rng.randrange(1, 29))
        people = [{"role": "at_risk", "name": name, **_age_typed(born, on, rng)}]
        if rng.random() < 0.4:
            people.append(
                {
                    "role": "harming",
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    "age": str(rng.randrange(18, 60)),
                }
            )
        answers = {"about": "child", "narrative": "A fictional background concern.", "people": people}
        if rng.random() < 0.5:
            answers["phones"] = [_phone_typed(_phone(rng, phones), rng)]
        if rng.random() < 0.4:
            answers["vehicles"] = [_registration_typed(_registration(rng, plates), rng, misread=0)[0]]
        if rng.random() < 0.5:
            answers["places"] = [
                {
                    "postcode": f"{rng.choice(DISTRICTS)} {rng.randrange(1, 10)}"
                    f"{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}"
                }
            ]
        planted.append(Planted(answers, None, received, set(), f"background:{number}"))
    planted.sort(key=lambda p: p.received_at)
    return planted


def truly_linked(a: Planted, b: Planted) -> bool:
    """Whether two planted concerns truly share something: a planted thing, or the same young person."""
    if a.network is None or a.network != b.network:
        return False

    def kinds(planted: Planted) -> set[str]:
        return {t.split(":")[0].removesuffix("_misread") for t in planted.things}

    shared = kinds(a) & kinds(b)
    return bool(shared) or a.person == b.person
