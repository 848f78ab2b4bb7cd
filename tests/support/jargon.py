"""Government jargon ("ambtelijke taal") that no citizen text may use, with the plain word to
use instead. Taken from the usual B1 word lists of Dutch government writing guides (Direct
Duidelijk, the Rijksoverheid "Klare taal" lists, "Ambtelijke woorden en hun alternatieven").

Keys are matched whole-word and case-insensitively (tests/test_plain_language.py), so
"indien" does not match "indienen". Keep a key specific enough that it has no innocent
meaning in the portal: "dienen" is left out ("dienen" also means "to serve"), "dient te"
is in.
"""

from __future__ import annotations

JARGON: dict[str, str] = {
    "aangaande": "over",
    "aanvang": "begin",
    "accorderen": "goedkeuren",
    "alsmede": "en",
    "alvorens": "voordat",
    "authenticeren": "inloggen",
    "authenticatie": "inloggen",
    "betreffende": "over",
    "bovengenoemde": "deze",
    "c.q.": "of",
    "conform": "volgens",
    "dan wel": "of",
    "derden": "anderen",
    "derhalve": "daarom",
    "desgewenst": "als u wilt",
    "dient te": "moet",
    "dienen te": "moeten",
    "doch": "maar",
    "echter": "maar",
    "gelieve": "wilt u",
    "gemachtigde": "helper",
    "hetgeen": "wat",
    "i.v.m.": "omdat, of: over",
    "in het kader van": "bij, of: voor",
    "indien": "als",
    "ingevolge": "volgens",
    "inzake": "over",
    "inzage": "bekijken",
    "middels": "met",
    "mits": "als",
    "met betrekking tot": "over",
    "nadien": "daarna",
    "omtrent": "over",
    "onderhavige": "deze",
    "onverwijld": "meteen",
    "per omgaande": "meteen",
    "raadplegen": "bekijken",
    "reeds": "al",
    "retour": "terug",
    "ten aanzien van": "over",
    "ten behoeve van": "voor",
    "teneinde": "om",
    "tevens": "ook",
    "thans": "nu",
    "trachten": "proberen",
    "uiterlijk": "voor, of: op zijn laatst",
    "valideren": "controleren",
    "verifiëren": "controleren",
    "verstrekken": "geven",
    "verzoek": "vraag",
    "verzoeken": "vragen",
    "vigerende": "geldende",
    "volmachtgever": "de persoon die u helpt (bij de helper), of: u",
    "voornoemde": "deze",
    "wederom": "weer",
    "woonachtig": "wonend",
    "zo spoedig mogelijk": "zo snel mogelijk",
    "zulks": "dit",
}

# The "u" form: a citizen is never addressed with je, jij, jou or jouw.
INFORMAL: tuple[str, ...] = ("je", "jij", "jou", "jouw", "jezelf", "jullie")
