"""Demo letters: realistic Dutch post in plain language (B1), with real PDF attachments.

Each template is filled in for one person and one day; ``build_draft`` turns it into a
``LetterDraft`` so the letter goes through the real rules (``place_letter``). Years and dates
follow the day the letter is placed, so a fresh demo always looks current.

Placeholders in texts: ``{name}``, ``{year}``, ``{prev_year}``, ``{coming_year}`` (next year
for post sent in November or December, else this year), ``{act_by}``, ``{placed}``,
``{reference}``, ``{city}``, ``{address}`` (street and place).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from portal.demo.organisations import BY_KEY
from portal.demo.pdf import dutch_date, leaflet_pdf, letter_pdf
from portal.domain.attachments import AttachmentFile
from portal.domain.letters import LetterDraft

COUNTRY_NAMES = {"NL": "", "ES": "SPANJE", "DE": "DUITSLAND", "BE": "BELGIË"}


class Addressee(Protocol):
    """What a letter needs of its reader: a ``Person`` row and a ``PracticePerson`` both fit."""

    @property
    def full_name(self) -> str: ...

    street: str
    house_number: str
    postcode: str
    city: str
    residence_country: str


@dataclass(frozen=True)
class AttachmentTemplate:
    filename: str
    title: str
    lines: tuple[str, ...]
    # Personal: about this person (with name and address). General: the same for everyone.
    personal: bool = True


@dataclass(frozen=True)
class LetterTemplate:
    key: str
    organisation: str  # a key of portal.demo.organisations.BY_KEY
    subject: str
    body: str
    reference_prefix: str
    act_within_days: int | None = None
    action: str | None = None
    if_not_done: str | None = None
    attachments: tuple[AttachmentTemplate, ...] = ()


_GREETING = "Beste {name},\n\n"


def _closing(sender: str) -> str:
    return f"\n\nMet vriendelijke groet,\n\n{sender}"


TEMPLATES_LIST: tuple[LetterTemplate, ...] = (
    LetterTemplate(
        key="ib_aanslag",
        organisation="belastingdienst",
        subject="Uw aanslag inkomstenbelasting {prev_year}",
        reference_prefix="IB",
        act_within_days=28,
        action="Betaal € 312 vóór {act_by}",
        if_not_done="Dan krijgt u een herinnering. Daarna moet u ook rente en kosten betalen.",
        body=_GREETING
        + "Wij hebben uw aangifte inkomstenbelasting over {prev_year} bekeken. "
        "U moet nog € 312 betalen. Dit heet een aanslag.\n\n"
        "Wat moet u doen?\n"
        "Betaal € 312 vóór {act_by}. Gebruik het betalingskenmerk uit de bijlage. "
        "Dan weten wij dat het geld van u komt.\n\n"
        "Kunt u niet op tijd betalen? Bel dan de BelastingTelefoon: 0800 - 0543. "
        "Dat is gratis.\n\n"
        "Bent u het niet eens met de aanslag? Dan kunt u bezwaar maken. "
        "Doe dat binnen 6 weken.\n\n"
        "In de bijlage ziet u hoe wij het bedrag hebben berekend."
        + _closing("Belastingdienst"),
        attachments=(
            AttachmentTemplate(
                "aanslag-inkomstenbelasting-{prev_year}.pdf",
                "Aanslag inkomstenbelasting {prev_year}",
                (
                    "Dit is uw aanslag inkomstenbelasting over {prev_year}.",
                    "",
                    "Belastbaar inkomen uit werk en woning: € 21.480",
                    "Inkomstenbelasting: € 1.956",
                    "Al betaald (loonheffing): € 1.644",
                    "Nog te betalen: € 312",
                    "",
                    "Betaal vóór: {act_by}",
                    "Rekeningnummer: NL86 INGB 0002 4455 88 (Belastingdienst)",
                    "Betalingskenmerk: 9012 3456 7890 1234",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="ib_aangifte",
        organisation="belastingdienst",
        subject="Doe aangifte inkomstenbelasting {prev_year}",
        reference_prefix="AGF",
        act_within_days=60,
        action="Doe aangifte vóór {act_by}",
        body=_GREETING
        + "U moet aangifte doen over {prev_year}. Dat betekent: u geeft uw inkomen door "
        "aan ons.\n\n"
        "Wat moet u doen?\n"
        "Doe aangifte vóór {act_by}. Dat kan op onze website. Log in met DigiD. "
        "Veel gegevens staan er al ingevuld. Kijk goed of ze kloppen.\n\n"
        "Hulp nodig? Ga naar het Informatiepunt Digitale Overheid in de bibliotheek. "
        "Daar helpen ze u gratis."
        + _closing("Belastingdienst"),
    ),
    LetterTemplate(
        key="voorlopige_aanslag",
        organisation="belastingdienst",
        subject="Voorlopige aanslag inkomstenbelasting {year}",
        reference_prefix="VA",
        body=_GREETING
        + "U krijgt dit jaar elke maand geld van ons terug. Dat komt door uw "
        "aftrekposten. Dit heet een voorlopige aanslag.\n\n"
        "U krijgt elke maand € 85. Wij maken het geld over op uw rekening. "
        "U hoeft niets te doen.\n\n"
        "Verandert uw inkomen? Geef dat dan aan ons door. Dan klopt het bedrag weer."
        + _closing("Belastingdienst"),
        attachments=(
            AttachmentTemplate(
                "voorlopige-aanslag-{year}.pdf",
                "Voorlopige aanslag inkomstenbelasting {year}",
                (
                    "U krijgt in {year} elke maand € 85 terug.",
                    "Totaal over het hele jaar: € 1.020.",
                    "",
                    "Wij betalen op uw rekening, rond de 20e van de maand.",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="woz",
        organisation="gemeente_utrecht",
        subject="WOZ-beschikking {year}",
        reference_prefix="WOZ",
        body=_GREETING
        + "Elk jaar bepalen wij wat uw huis waard is. Dit heet de WOZ-waarde. "
        "De WOZ-waarde van uw huis is € 287.000.\n\n"
        "Wij gebruiken de WOZ-waarde voor de gemeentelijke belastingen. "
        "Ook de Belastingdienst en het waterschap gebruiken deze waarde.\n\n"
        "Vindt u de waarde te hoog of te laag? Dan kunt u bezwaar maken. "
        "Doe dat binnen 6 weken. Dat is gratis.\n\n"
        "In de bijlagen leest u hoe wij de waarde bepalen."
        + _closing("Gemeente Utrecht"),
        attachments=(
            AttachmentTemplate(
                "woz-beschikking-{year}.pdf",
                "WOZ-beschikking {year}",
                (
                    "Adres van de woning: {address}",
                    "WOZ-waarde: € 287.000",
                    "Waardepeildatum: 1 januari {prev_year}",
                    "",
                    "Bezwaar maken kan tot 6 weken na {placed}.",
                ),
            ),
            AttachmentTemplate(
                "uitleg-woz.pdf",
                "Hoe bepalen wij de WOZ-waarde?",
                (
                    "WOZ betekent: Wet waardering onroerende zaken.",
                    "",
                    "Wij kijken naar huizen in uw buurt die ongeveer even groot zijn. "
                    "En wat die huizen kosten als ze verkocht worden.",
                    "",
                    "Wij kijken naar de waarde op 1 januari van vorig jaar.",
                    "",
                    "Denkt u dat de waarde niet klopt? Bel ons eerst. "
                    "Vaak kunnen wij het snel uitleggen of aanpassen.",
                ),
                personal=False,
            ),
        ),
    ),
    LetterTemplate(
        key="rotterdam_belastingen",
        organisation="gemeente_rotterdam",
        subject="Aanslag gemeentelijke belastingen {year}",
        reference_prefix="GB",
        act_within_days=30,
        action="Betaal € 198 vóór {act_by}",
        body=_GREETING
        + "U moet dit jaar € 198 betalen aan de gemeente. Dit is voor het ophalen "
        "van afval en voor het riool.\n\n"
        "Wat moet u doen?\n"
        "Betaal € 198 vóór {act_by}. U mag ook in 10 delen betalen. "
        "Regel dat dan op onze website.\n\n"
        "Heeft u weinig geld? Dan hoeft u misschien niet te betalen. "
        "Vraag dan kwijtschelding aan."
        + _closing("Gemeente Rotterdam"),
        attachments=(
            AttachmentTemplate(
                "aanslag-gemeente-{year}.pdf",
                "Aanslag gemeentelijke belastingen {year}",
                (
                    "Afvalstoffenheffing (1 persoon): € 160",
                    "Rioolheffing: € 38",
                    "Totaal: € 198",
                    "",
                    "Betaal vóór: {act_by}",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="bghu_aanslag",
        organisation="bghu",
        subject="Aanslag gemeentelijke belastingen {year}",
        reference_prefix="BGHU",
        body=_GREETING
        + "Dit is uw aanslag voor de gemeente Utrecht en het waterschap. "
        "U betaalt dit jaar in totaal € 642.\n\n"
        "U heeft ons toestemming gegeven om het bedrag af te schrijven. "
        "Wij doen dat in 10 delen van € 64,20. U hoeft niets te doen.\n\n"
        "Vindt u dat er iets niet klopt? Dan kunt u binnen 6 weken bezwaar maken."
        + _closing("BghU"),
        attachments=(
            AttachmentTemplate(
                "aanslag-bghu-{year}.pdf",
                "Aanslag gemeentelijke belastingen {year}",
                (
                    "Onroerendezaakbelasting: € 310",
                    "Afvalstoffenheffing: € 218",
                    "Rioolheffing: € 114",
                    "Totaal: € 642",
                    "",
                    "Betaling: automatische incasso in 10 termijnen.",
                ),
            ),
            AttachmentTemplate(
                "uitleg-gemeentelijke-belastingen.pdf",
                "Waarvoor betaalt u gemeentelijke belastingen?",
                (
                    "Met de onroerendezaakbelasting betaalt de gemeente wegen, parken en "
                    "straatverlichting.",
                    "",
                    "Met de afvalstoffenheffing betaalt de gemeente het ophalen van uw afval.",
                    "",
                    "Met de rioolheffing betaalt de gemeente het riool.",
                ),
                personal=False,
            ),
        ),
    ),
    LetterTemplate(
        key="waterschap_betalen",
        organisation="hdsr",
        subject="Aanslag waterschapsbelasting {year}",
        reference_prefix="WS",
        act_within_days=30,
        action="Betaal € 146 vóór {act_by}",
        body=_GREETING
        + "Het waterschap zorgt voor droge voeten en schoon water. "
        "Daarvoor betaalt u waterschapsbelasting. Dit jaar is dat € 146.\n\n"
        "Wat moet u doen?\n"
        "Betaal € 146 vóór {act_by}. Het rekeningnummer en het betalingskenmerk "
        "staan in de bijlage.\n\n"
        "Wilt u in delen betalen? Regel dat dan op onze website."
        + _closing("Hoogheemraadschap De Stichtse Rijnlanden"),
        attachments=(
            AttachmentTemplate(
                "aanslag-waterschap-{year}.pdf",
                "Aanslag waterschapsbelasting {year}",
                (
                    "Watersysteemheffing ingezetenen: € 98",
                    "Zuiveringsheffing (1 vervuilingseenheid): € 48",
                    "Totaal: € 146",
                    "",
                    "Betaal vóór: {act_by}",
                    "Betalingskenmerk: 5100 2233 4455 6677",
                ),
            ),
            AttachmentTemplate(
                "uitleg-waterschapsbelasting.pdf",
                "Wat doet het waterschap?",
                (
                    "Het waterschap zorgt voor sterke dijken.",
                    "Het waterschap maakt afvalwater schoon.",
                    "Het waterschap zorgt dat er niet te veel en niet te weinig water is.",
                ),
                personal=False,
            ),
        ),
    ),
    LetterTemplate(
        key="waterschap_incasso",
        organisation="hdsr",
        subject="Aanslag waterschapsbelasting {year}",
        reference_prefix="WS",
        body=_GREETING
        + "Het waterschap zorgt voor droge voeten en schoon water. "
        "Daarvoor betaalt u waterschapsbelasting. Dit jaar is dat € 146.\n\n"
        "U heeft ons toestemming gegeven om het bedrag af te schrijven. "
        "Wij doen dat in 8 delen. U hoeft niets te doen."
        + _closing("Hoogheemraadschap De Stichtse Rijnlanden"),
        attachments=(
            AttachmentTemplate(
                "aanslag-waterschap-{year}.pdf",
                "Aanslag waterschapsbelasting {year}",
                (
                    "Watersysteemheffing ingezetenen: € 98",
                    "Zuiveringsheffing (1 vervuilingseenheid): € 48",
                    "Totaal: € 146",
                    "",
                    "Betaling: automatische incasso in 8 termijnen van € 18,25.",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="apk",
        organisation="rdw",
        subject="Uw auto moet naar de APK",
        reference_prefix="APK",
        act_within_days=30,
        action="Laat uw auto keuren vóór {act_by}",
        if_not_done="Dan mag u niet meer met uw auto rijden. Doet u het toch, dan kunt u een boete krijgen.",
        body=_GREETING
        + "Uw auto moet binnenkort weer naar de APK. APK betekent: Algemene Periodieke "
        "Keuring. Een garage kijkt dan of uw auto veilig is.\n\n"
        "Wat moet u doen?\n"
        "Laat uw auto keuren vóór {act_by}. Maak een afspraak bij een APK-garage.\n\n"
        "Rijdt u na die datum zonder APK? Dan kunt u een boete krijgen."
        + _closing("RDW"),
        attachments=(
            AttachmentTemplate(
                "apk-herinnering.pdf",
                "Herinnering APK",
                (
                    "Kenteken: 12-ABC-3",
                    "Merk: Volkswagen",
                    "APK vervalt op: {act_by}",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="aow_gaat_in",
        organisation="svb",
        subject="Uw AOW gaat in",
        reference_prefix="AOW",
        body=_GREETING
        + "U krijgt binnenkort AOW. AOW is het pensioen van de overheid.\n\n"
        "Uw AOW gaat in op de dag dat u de AOW-leeftijd bereikt. "
        "U krijgt dan elke maand € 1.450 bruto. "
        "Wij betalen aan het einde van de maand.\n\n"
        "U hoeft niets te doen. Verandert er iets in uw leven? Bijvoorbeeld: u gaat "
        "samenwonen of verhuizen. Geef dat dan aan ons door."
        + _closing("SVB"),
        attachments=(
            AttachmentTemplate(
                "besluit-aow.pdf",
                "Besluit AOW",
                (
                    "U krijgt AOW vanaf de dag dat u de AOW-leeftijd bereikt.",
                    "Bedrag per maand (bruto): € 1.450",
                    "Vakantiegeld (in mei): € 88 per maand opgebouwd",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="aow_jaaropgave",
        organisation="svb",
        subject="Jaaropgave AOW {prev_year}",
        reference_prefix="AOW",
        body=_GREETING
        + "In de bijlage staat uw jaaropgave over {prev_year}. Hierop ziet u hoeveel "
        "AOW u heeft gekregen. En hoeveel belasting wij hebben ingehouden.\n\n"
        "Heeft u de jaaropgave nodig voor uw aangifte? De Belastingdienst heeft deze "
        "gegevens al. U hoeft niets te doen."
        + _closing("SVB"),
        attachments=(
            AttachmentTemplate(
                "jaaropgave-aow-{prev_year}.pdf",
                "Jaaropgave AOW {prev_year}",
                (
                    "AOW (bruto): € 17.400",
                    "Ingehouden loonheffing: € 1.644",
                    "Loonheffingskorting toegepast: ja",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="aow_buitenland",
        organisation="svb",
        subject="Uw AOW-opbouw nu u in het buitenland woont",
        reference_prefix="AOW",
        act_within_days=300,
        action="Vraag de vrijwillige verzekering aan vóór {act_by}",
        body=_GREETING
        + "U woont nu buiten Nederland. Daardoor bouwt u geen AOW meer op. "
        "Later krijgt u dan minder AOW.\n\n"
        "U kunt zich vrijwillig verzekeren. Dan bouwt u wel AOW op. "
        "U betaalt daar zelf premie voor.\n\n"
        "Wat moet u doen?\n"
        "Wilt u dit? Vraag de vrijwillige verzekering aan vóór {act_by}. "
        "Dat kan alleen binnen 1 jaar nadat u bent verhuisd.\n\n"
        "In de bijlage staat meer uitleg."
        + _closing("SVB"),
        attachments=(
            AttachmentTemplate(
                "uitleg-vrijwillige-verzekering.pdf",
                "Vrijwillig verzekeren voor de AOW",
                (
                    "Woont u in het buitenland? Dan bouwt u meestal geen AOW op.",
                    "",
                    "Per jaar dat u niet verzekerd bent, krijgt u 2% minder AOW.",
                    "",
                    "Met een vrijwillige verzekering bouwt u toch AOW op. "
                    "De premie hangt af van uw inkomen.",
                ),
                personal=False,
            ),
        ),
    ),
    LetterTemplate(
        key="uwv_jaaropgave",
        organisation="uwv",
        subject="Jaaropgave {prev_year}",
        reference_prefix="UWV",
        body=_GREETING
        + "U heeft in {prev_year} een uitkering van ons gekregen. In de bijlage staat "
        "uw jaaropgave. Hierop ziet u hoeveel geld u heeft gekregen. En hoeveel "
        "belasting wij hebben betaald.\n\n"
        "Bewaar de jaaropgave goed. U hoeft niets te doen."
        + _closing("UWV"),
        attachments=(
            AttachmentTemplate(
                "jaaropgave-uwv-{prev_year}.pdf",
                "Jaaropgave {prev_year}",
                (
                    "Soort uitkering: WW",
                    "Bruto uitkering: € 6.210",
                    "Ingehouden loonheffing: € 512",
                    "Periode: 1 maart tot 1 juli {prev_year}",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="duo_jaaroverzicht",
        organisation="duo",
        subject="Jaaroverzicht studieschuld {prev_year}",
        reference_prefix="DUO",
        body=_GREETING
        + "In de bijlage ziet u hoe hoog uw studieschuld was op 31 december {prev_year}. "
        "U ziet ook hoeveel u in {prev_year} heeft terugbetaald.\n\n"
        "U hoeft niets te doen. Wilt u sneller terugbetalen? Dat kan altijd, zonder "
        "extra kosten."
        + _closing("DUO"),
        attachments=(
            AttachmentTemplate(
                "jaaroverzicht-studieschuld-{prev_year}.pdf",
                "Jaaroverzicht studieschuld {prev_year}",
                (
                    "Schuld op 1 januari {prev_year}: € 8.940",
                    "Terugbetaald in {prev_year}: € 1.080",
                    "Rente in {prev_year}: € 41",
                    "Schuld op 31 december {prev_year}: € 7.901",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="duo_aflossen",
        organisation="duo",
        subject="U gaat uw studieschuld terugbetalen",
        reference_prefix="DUO",
        act_within_days=45,
        action="Controleer uw rekeningnummer vóór {act_by}",
        body=_GREETING
        + "Binnenkort begint u met het terugbetalen van uw studieschuld. "
        "U betaalt elke maand € 92.\n\n"
        "Wat moet u doen?\n"
        "Controleer vóór {act_by} of uw rekeningnummer klopt. Dat doet u in Mijn DUO. "
        "Wij schrijven het geld dan elke maand af.\n\n"
        "Verdient u weinig? Dan kunt u vragen om minder te betalen."
        + _closing("DUO"),
        attachments=(
            AttachmentTemplate(
                "aflosbericht.pdf",
                "Aflosbericht",
                (
                    "Uw studieschuld: € 21.300",
                    "Maandbedrag: € 92",
                    "Eerste afschrijving: rond {act_by}",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="cjib_boete",
        organisation="cjib",
        subject="Verkeersboete: te hard gereden",
        reference_prefix="CJIB",
        act_within_days=56,
        action="Betaal € 109 vóór {act_by}",
        body=_GREETING
        + "Met uw auto is te hard gereden. Daarom krijgt u een boete van € 109.\n\n"
        "Wat moet u doen?\n"
        "Betaal € 109 vóór {act_by}. Betaalt u te laat? Dan wordt de boete hoger.\n\n"
        "Bent u het niet eens met de boete? Dan kunt u bezwaar maken bij de "
        "officier van justitie. Doe dat binnen 6 weken. In de bijlage staat hoe."
        + _closing("CJIB"),
        attachments=(
            AttachmentTemplate(
                "beschikking-verkeersboete.pdf",
                "Beschikking verkeersboete",
                (
                    "Plaats: A20, Rotterdam, hectometerpaal 31,4",
                    "Toegestane snelheid: 100 km per uur",
                    "Gemeten snelheid (na correctie): 112 km per uur",
                    "",
                    "Boete: € 100",
                    "Administratiekosten: € 9",
                    "Totaal: € 109",
                    "Betaal vóór: {act_by}",
                    "",
                    "Bent u het niet eens met de boete? Stuur binnen 6 weken een brief aan de "
                    "officier van justitie. Schrijf het kenmerk {reference} in uw brief.",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="zorgtoeslag",
        organisation="toeslagen",
        subject="Voorschot zorgtoeslag {coming_year}",
        reference_prefix="ZT",
        body=_GREETING
        + "U krijgt in {coming_year} zorgtoeslag. Dat is geld om uw zorgverzekering "
        "te betalen. U krijgt elke maand € 131.\n\n"
        "Dit is een voorschot. Later kijken wij wat uw inkomen echt was. "
        "Dan kan het bedrag nog veranderen.\n\n"
        "Verandert uw inkomen? Geef dat dan snel aan ons door. "
        "Dan hoeft u later niet veel terug te betalen."
        + _closing("Dienst Toeslagen"),
        attachments=(
            AttachmentTemplate(
                "voorschot-zorgtoeslag-{coming_year}.pdf",
                "Voorschot zorgtoeslag {coming_year}",
                (
                    "Voorschot per maand: € 131",
                    "Wij gingen uit van dit inkomen: € 24.000 per jaar",
                    "Wij betalen rond de 20e van de maand.",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="pensioenoverzicht",
        organisation="abp",
        subject="Uw pensioenoverzicht {year}",
        reference_prefix="ABP",
        body=_GREETING
        + "Elk jaar laten wij zien hoeveel pensioen u heeft opgebouwd. "
        "U leest het in de bijlage.\n\n"
        "Wilt u weten hoeveel pensioen u later in totaal krijgt? Kijk dan op "
        "mijnpensioenoverzicht.nl. Daar staat ook uw AOW.\n\n"
        "U hoeft niets te doen."
        + _closing("Pensioenfonds ABP"),
        attachments=(
            AttachmentTemplate(
                "pensioenoverzicht-{year}.pdf",
                "Uniform Pensioenoverzicht {year}",
                (
                    "Opgebouwd ouderdomspensioen: € 4.310 bruto per jaar",
                    "Pensioen gaat in: op uw AOW-leeftijd",
                    "Partnerpensioen bij overlijden: € 3.020 bruto per jaar",
                ),
            ),
        ),
    ),
    LetterTemplate(
        key="zorgpolis",
        organisation="zorgzaam",
        subject="Uw zorgpolis {coming_year}",
        reference_prefix="ZZ",
        body=_GREETING
        + "In {coming_year} blijft u bij ons verzekerd. In de bijlage staat uw nieuwe "
        "polis. De premie is € 148 per maand.\n\n"
        "Het eigen risico is € 385. Dat betaalt u zelf als u zorg krijgt. "
        "Naar de huisarts gaan kost niets.\n\n"
        "Wilt u iets veranderen? Dat kan tot 31 december."
        + _closing("Zorgverzekeraar Zorgzaam"),
        attachments=(
            AttachmentTemplate(
                "zorgpolis-{coming_year}.pdf",
                "Zorgpolis {coming_year}",
                (
                    "Basisverzekering: Zorgzaam Basis",
                    "Premie per maand: € 148",
                    "Eigen risico: € 385 per jaar",
                    "Aanvullende verzekering: geen",
                ),
            ),
            AttachmentTemplate(
                "vergoedingen-{coming_year}.pdf",
                "Wat vergoeden wij in {coming_year}?",
                (
                    "Huisarts: volledig, zonder eigen risico.",
                    "Ziekenhuis: volledig, met eigen risico.",
                    "Fysiotherapie: alleen met een aanvullende verzekering.",
                ),
                personal=False,
            ),
        ),
    ),
)
"""Every letter template, in a fixed order."""

TEMPLATES: dict[str, LetterTemplate] = {t.key: t for t in TEMPLATES_LIST}


def reference_for(template: LetterTemplate, person: Addressee, placed_on: date) -> str:
    """A stable made-up reference: the same person and template give the same number."""
    number = zlib.crc32(f"{template.key}|{person.full_name}|{placed_on.year}".encode()) % 1_000_000
    return f"{template.reference_prefix}-{placed_on.year}-{number:06d}"


def build_draft(template_key: str, person: Addressee, placed_on: date) -> LetterDraft:
    """The letter ``template_key`` for ``person``, as placed on ``placed_on``.

    Raises KeyError for an unknown template.
    """
    template = TEMPLATES[template_key]
    organisation = BY_KEY[template.organisation]
    act_by = (
        placed_on + timedelta(days=template.act_within_days)
        if template.act_within_days is not None
        else None
    )
    reference = reference_for(template, person, placed_on)
    values = {
        "name": person.full_name,
        "year": placed_on.year,
        "prev_year": placed_on.year - 1,
        "coming_year": placed_on.year + 1 if placed_on.month >= 11 else placed_on.year,
        "act_by": dutch_date(act_by) if act_by else "",
        "placed": dutch_date(placed_on),
        "reference": reference,
        "city": person.city,
        "address": ", ".join(line for line in address_lines(person)[1:3]),
    }
    attachments = []
    for item in template.attachments:
        title = item.title.format_map(values)
        lines = [line.format_map(values) for line in item.lines]
        if item.personal:
            content = letter_pdf(
                title, lines, sender=organisation.name, recipient=address_lines(person),
                dated=placed_on, reference=reference,
            )
        else:
            content = leaflet_pdf(title, lines, sender=organisation.name)
        attachments.append(
            AttachmentFile(item.filename.format_map(values), content, personal=item.personal)
        )
    return LetterDraft(
        subject=template.subject.format_map(values),
        body=template.body.format_map(values),
        reference=reference,
        act_by=act_by,
        action=template.action.format_map(values) if template.action else None,
        if_not_done=template.if_not_done,
        sender_url=organisation.website,
        attachments=tuple(attachments),
    )


def address_lines(person: Addressee) -> list[str]:
    """The address block of a letter: name, street, postcode and city, country if abroad."""
    lines = [person.full_name]
    street = " ".join(p for p in (person.street, person.house_number) if p)
    if street:
        lines.append(street)
    place = " ".join(p for p in (person.postcode, person.city) if p)
    if place:
        lines.append(place)
    country = COUNTRY_NAMES.get(person.residence_country, person.residence_country)
    if country:
        lines.append(country)
    return lines
