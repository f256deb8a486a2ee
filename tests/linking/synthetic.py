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


@dataclass
class _PlantedNetwork:
    """What one planted network's concerns mention: its person causing harm, phone, car, place, account
    and nickname, and the young people it harms."""

    number: int
    spellings: list[str]
    harm_born: datetime.date
    phone: int
    plate: str
    place: dict[str, str]
    handle: str
    nickname: str
    victims: list[tuple[str, datetime.date]]
    begun: datetime.datetime


def _network_concerns(rng: random.Random, net: _PlantedNetwork, count: int) -> list[Planted]:
    """`count` concerns of a planted network, each about one of its young people and mentioning some of
    its things, written as people type them."""
    network = net.number
    concerns = []
    for number in range(count):
        received = net.begun + datetime.timedelta(days=number * rng.randrange(20, 90))
        on = received.date()
        victim = number % len(net.victims)
        victim_name, victim_born = net.victims[victim]
        answers: dict[str, Any] = {"about": "child", "narrative": "A fictional planted concern."}
        people = [{"role": "at_risk", "name": victim_name, **_age_typed(victim_born, on, rng)}]
        things: set[str] = set()
        mentions = rng.sample(["phone", "vehicle", "person", "place", "account"], k=rng.randrange(2, 5))
        if "person" in mentions or rng.random() < 0.5:
            person: dict[str, Any] = {"role": "harming"}
            if "person" in mentions:
                person["name"] = rng.choice(net.spellings)
                person.update(_age_typed(net.harm_born, on, rng))
                things.add(f"person:{network}")
            if rng.random() < 0.5:
                person["nicknames"] = net.nickname if rng.random() < 0.7 else net.nickname.lower()
                things.add(f"nickname:{network}")
            if len(person) > 1:
                people.append(person)
        answers["people"] = people
        if "phone" in mentions:
            answers["phones"] = [_phone_typed(net.phone, rng)]
            things.add(f"phone:{network}")
        if "vehicle" in mentions:
            typed, misread = _registration_typed(net.plate, rng, misread=0.1)
            answers["vehicles"] = [typed]
            things.add(f"vehicle_misread:{network}" if misread else f"vehicle:{network}")
        if "place" in mentions:
            answers["places"] = [dict(net.place)]
            things.add(f"place:{network}")
        if "account" in mentions:
            platform = rng.choice(["Snapchat", "snap", "SNAPCHAT"])
            handles = [net.handle, "@" + net.handle, net.handle.upper()]
            answers["online_accounts"] = [{"platform": platform, "handle": rng.choice(handles)}]
            things.add(f"account:{network}")
        concerns.append(Planted(answers, network, received, things, f"victim:{network}:{victim}"))
    return concerns


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
        net = _PlantedNetwork(
            network, spellings, harm_born, phone, plate, place, handle, nickname, victims, begun
        )
        planted += _network_concerns(rng, net, rng.randrange(3, 7))
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


# A city's worth of concerns (bench/linking.py). At a million concerns the small lists above would make
# every name common, so names are built from syllables: 20 x 20 first names and 40 x 25 x 30 surnames,
# twelve million full names. Each background person gets a name no other background person has (drawn
# without replacement), so a probable link between two background concerns is the engine's mistake
# (alike names with agreeing ages), never a coincidence that no method could tell apart. Each planted
# network's person causing harm is new too, written in spellings that sound alike. Phones: the drama
# range holds only 1,000 mobile numbers, one for each planted network, so background concerns give no
# phone (a fictional number shared by chance would be a true link). Vehicles, places and accounts are
# spread as a city's are: unique plates and handles, full postcodes shared by a street's neighbours.
ONSETS = ["Ka", "Le", "Mi", "Jo", "Ta", "Ri", "Sa", "No", "Da", "Ze", "Ar", "El", "Ya", "Be", "Co", "Fi",
          "Ha", "Lu", "Ma", "Ro"]  # fmt: skip
CODAS = ["ra", "na", "son", "la", "den", "ris", "ley", "mi", "ton", "vin", "lia", "ne", "ca", "dy", "ro",
         "ya", "lan", "sha", "ko", "bel"]  # fmt: skip
SURNAME_HEADS = ["Ash", "Black", "Brook", "Cal", "Dun", "Elm", "Fair", "Glen", "Hart", "Holl", "Kent", "Lang",
                 "Marsh", "North", "Oak", "Pen", "Quar", "Red", "Shaw", "Thorn", "Under", "Vane", "West",
                 "Yarrow", "Amber", "Birk", "Crag", "Dal", "Fenn", "Gor", "Heath", "Ivel", "Jut", "Kirk",
                 "Lind", "Mere", "Nett", "Orch", "Pike", "Rook"]  # fmt: skip
SURNAME_MIDDLES = ["", "er", "in", "ow", "ing", "al", "ey", "on", "et", "is", "ar", "un", "ith", "ock", "am",
                   "ul", "es", "ig", "ov", "ap", "ed", "ib", "oz", "uf", "ax"]  # fmt: skip
SURNAME_TAILS = ["worth", "field", "ton", "by", "ham", "ley", "wood", "more", "stead", "well", "croft",
                 "ridge", "ford", "gate", "holm", "dale", "wick", "burn", "thwaite", "side", "shaw", "land",
                 "cott", "bury", "mouth", "hurst", "combe", "leigh", "stone", "bridge"]  # fmt: skip
FIRST_SPACE = len(ONSETS) * len(CODAS)
SURNAME_SPACE = len(SURNAME_HEADS) * len(SURNAME_MIDDLES) * len(SURNAME_TAILS)
NAME_SPACE = FIRST_SPACE * SURNAME_SPACE
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXY"  # a postcode unit's letters (no C, I, K, M, O, V)


def city_name(number: int) -> str:
    """The number-th full name of the syllable name space (0 <= number < NAME_SPACE)."""
    first, surname = divmod(number, SURNAME_SPACE)
    onset, coda = divmod(first, len(CODAS))
    head, rest = divmod(surname, len(SURNAME_MIDDLES) * len(SURNAME_TAILS))
    middle, tail = divmod(rest, len(SURNAME_TAILS))
    return f"{ONSETS[onset]}{CODAS[coda]} {SURNAME_HEADS[head]}{SURNAME_MIDDLES[middle]}{SURNAME_TAILS[tail]}"


def _names_without_replacement(seed: int):
    """Full names in a seeded order, none twice: an affine walk over the name space."""
    rng = random.Random(seed)
    step = rng.randrange(1, NAME_SPACE)
    while _gcd(step, NAME_SPACE) != 1:
        step += 1
    position = rng.randrange(NAME_SPACE)
    while True:
        position = (position + step) % NAME_SPACE
        yield city_name(position)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _spelt_otherwise(name: str, rng: random.Random) -> str:
    """The same name as someone else might write it: a vowel changed or a consonant doubled, which
    sound alike (every word's metaphone unchanged)."""
    words = name.split()
    word = rng.randrange(len(words))
    letters = list(words[word])
    vowels = [i for i, c in enumerate(letters) if c in "aeiou" and i > 0]
    if vowels and rng.random() < 0.6:
        i = rng.choice(vowels)
        letters[i] = rng.choice([v for v in "aeiou" if v != letters[i]])
    else:
        consonants = [i for i, c in enumerate(letters) if c.isalpha() and c not in "aeiouhwy" and i > 0]
        if consonants:
            i = rng.choice(consonants)
            letters.insert(i, letters[i])
    words[word] = "".join(letters)
    return " ".join(words)


def city_population(*, seed: int = 2018, concerns: int = 1_000_000, networks: int = 1000):
    """Yield `concerns` Planted concerns, `networks` planted networks among them (at most 1,000: one
    drama-range mobile each), in no particular order of receipt."""
    networks = min(networks, 1000)
    rng = random.Random(seed)
    names = _names_without_replacement(seed)
    start = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=datetime.UTC)
    plates: set[str] = set()
    planted_total = 0
    plan: list[tuple[int, int]] = []  # (network, how many concerns)
    for network in range(networks):
        plan.append((network, rng.randrange(3, 7)))
        planted_total += plan[-1][1]
    background = max(concerns - planted_total, 0)
    # Where in the stream each planted concern goes: spread through it.
    slots = sorted(rng.sample(range(background + planted_total), planted_total))
    planted_stream = _city_networks(rng, names, plates, plan, start)
    slot_set = set(slots)
    made = 0
    for position in range(background + planted_total):
        if position in slot_set:
            yield next(planted_stream)
        else:
            yield _city_background(rng, names, plates, start, made)
            made += 1


def _city_networks(rng, names, plates, plan, start):
    items: list[Planted] = []
    for network, count in plan:
        harm_name = next(names)
        spellings = [harm_name] + [_spelt_otherwise(harm_name, rng) for _ in range(2)]
        harm_born = datetime.date(rng.randrange(1975, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
        plate = _registration(rng, plates)
        district = f"NE{rng.randrange(1, 100)}"
        place = {
            "venue": f"{rng.choice(VENUES)} {network}",
            "postcode": f"{district} {rng.randrange(1, 10)}"
            f"{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}",
        }
        handle = f"planted_{network}_{rng.randrange(100, 999)}"
        nickname = f"{rng.choice(NICKNAMES)} {network}"
        victims = [
            (
                next(names),
                datetime.date(rng.randrange(2008, 2012), rng.randrange(1, 13), rng.randrange(1, 29)),
            )
            for _ in range(rng.randrange(3, 6))
        ]
        begun = start + datetime.timedelta(days=rng.randrange(0, 400))
        # Its phone: the drama-range mobile numbered as the network (07700 900000 + network).
        net = _PlantedNetwork(
            network, spellings, harm_born, network, plate, place, handle, nickname, victims, begun
        )
        items += _network_concerns(rng, net, count)
    rng.shuffle(items)
    yield from items


def _city_background(rng, names, plates, start, number: int) -> Planted:
    received = start + datetime.timedelta(days=rng.randrange(0, 1000), hours=rng.randrange(0, 10))
    on = received.date()
    name = next(names)
    if rng.random() < 0.2:
        name = name.split()[0]  # a first name only: common, and never probable without agreeing ages
    born = datetime.date(rng.randrange(1940, 2012), rng.randrange(1, 13), rng.randrange(1, 29))
    people = [{"role": "at_risk", "name": name, **_age_typed(born, on, rng)}]
    if rng.random() < 0.4:
        people.append({"role": "harming", "name": next(names), "age": str(rng.randrange(18, 60))})
    answers: dict[str, Any] = {
        "about": "child",
        "narrative": "A fictional background concern.",
        "people": people,
    }
    if rng.random() < 0.4:
        answers["vehicles"] = [_registration_typed(_registration(rng, plates), rng, misread=0)[0]]
    if rng.random() < 0.3:
        answers["places"] = [
            {
                "postcode": f"NE{rng.randrange(1, 100)} {rng.randrange(1, 10)}"
                f"{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"
            }
        ]
    if rng.random() < 0.1:
        answers["online_accounts"] = [
            {"platform": "Snapchat", "handle": f"bg_{number}_{rng.randrange(1000)}"}
        ]
    return Planted(answers, None, received, set(), f"background:{number}")
