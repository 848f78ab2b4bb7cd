"""The practice persons. Both the practice DigiD (logins) and the register (Person) use them.

BSNs are test numbers (they start with 9999) that pass the elfproef. Ages are kept
relative to the day the data is seeded, so the 13-year-old stays 13 in a fresh demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Printed on the practice login page: this is a training password, not a secret.
PRACTICE_PASSWORD = "oefenen"


@dataclass(frozen=True)
class PracticePerson:
    username: str
    given_names: str
    surname_prefix: str
    surname: str
    bsn: str
    age_years: int
    street: str
    house_number: str
    postcode: str
    city: str
    residence_country: str
    nationality: str
    # Shown to trainers and testers on the practice login page.
    description: str
    in_register: bool = True

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname_prefix, self.surname) if p)

    def birth_date(self, today: date) -> date:
        """A birth date that makes the person ``age_years`` old today (and some weeks)."""
        try:
            anniversary = today.replace(year=today.year - self.age_years)
        except ValueError:  # 29 February
            anniversary = today.replace(year=today.year - self.age_years, day=28)
        return anniversary - timedelta(days=45)


PEOPLE: tuple[PracticePerson, ...] = (
    PracticePerson("joke", "Joke", "de", "Vries", "999900006", 74, "Lindelaan", "12",
                   "3581 AB", "Utrecht", "NL", "NL", "74 jaar, woont alleen. Heeft nieuwe post."),
    PracticePerson("sanne", "Sanne", "de", "Vries", "999900018", 46, "Kerkstraat", "3",
                   "3811 CV", "Amersfoort", "NL", "NL", "46 jaar, dochter van Joke."),
    PracticePerson("ahmed", "Ahmed", "El", "Amrani", "999900031", 34, "Beukelsdijk", "88",
                   "3022 DK", "Rotterdam", "NL", "MA", "34 jaar, gebruikt alleen zijn telefoon."),
    PracticePerson("kees", "Kees", "", "Bakker", "999900043", 52, "Stationsplein", "1",
                   "8011 CW", "Zwolle", "NL", "NL", "Maatschappelijk werker en bewindvoerder."),
    PracticePerson("marieke", "Marieke", "", "Jansen", "999900055", 39, "Oudegracht", "200",
                   "3511 NR", "Utrecht", "NL", "NL",
                   "Trainer in de bibliotheek (Digisterker). Helpt bezoekers aan de balie."),
    PracticePerson("tom", "Tom", "", "Visser", "999900067", 29, "Vismarkt", "9",
                   "9712 CA", "Groningen", "NL", "NL", "Onderzoeker gebruiksvriendelijkheid."),
    PracticePerson("emma", "Emma", "de", "Boer", "999900079", 41, "Calle Mayor", "5",
                   "29001", "Málaga", "ES", "NL", "Nederlandse, woont in Spanje. Mag een account."),
    PracticePerson("lotte", "Lotte", "", "Smit", "999900080", 13, "Dorpsstraat", "7",
                   "1741 AA", "Schagen", "NL", "NL", "13 jaar: te jong voor een account."),
    PracticePerson("klaus", "Klaus", "", "Weber", "999900092", 58, "Hauptstraße", "40",
                   "47533", "Kleve", "DE", "DE",
                   "Duitser, woont in Duitsland: geen account."),
    # Kees Bakker is bewindvoerder of these three (demo seed: legal mandates).
    PracticePerson("henk", "Henk", "", "Mulder", "999900110", 67, "Weversweg", "14",
                   "8021 BK", "Zwolle", "NL", "NL", "67 jaar. Kees Bakker is zijn bewindvoerder."),
    PracticePerson("fatima", "Fatima", "", "Ouali", "999900122", 45, "Assendorperstraat", "52",
                   "8012 DK", "Zwolle", "NL", "NL", "45 jaar. Kees Bakker is haar bewindvoerder."),
    PracticePerson("wim", "Wim", "van", "Dijk", "999900134", 81, "Thorbeckegracht", "3",
                   "8011 VL", "Zwolle", "NL", "NL", "81 jaar. Kees Bakker is zijn bewindvoerder."),
    PracticePerson("noor", "Noor", "", "Hendriks", "999900109", 30, "", "", "", "", "NL", "NL",
                   "Staat niet in de oefen-BRP: geen account.", in_register=False),
)


def by_username(username: str) -> PracticePerson | None:
    return next((p for p in PEOPLE if p.username == username), None)
