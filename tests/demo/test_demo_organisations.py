from sqlalchemy import func, select

from portal.demo.organisations import BY_KEY, ORGANISATIONS, add_organisations
from portal.models import Organisation, OrganisationKind


def test_about_a_dozen_organisations():
    assert 12 <= len(ORGANISATIONS) <= 15
    assert len(BY_KEY) == len(ORGANISATIONS)


def test_oins_are_20_made_up_digits_and_unique():
    oins = [org.oin for org in ORGANISATIONS]
    assert len(set(oins)) == len(oins)
    for oin in oins:
        assert len(oin) == 20 and oin.isdigit()
        assert oin.startswith("0000000")


def test_names_unique_and_websites_https():
    names = [org.name for org in ORGANISATIONS]
    assert len(set(names)) == len(names)
    for org in ORGANISATIONS:
        assert org.website.startswith("https://")
        assert len(org.website) <= 300 and len(org.name) <= 200


def test_every_kind_that_may_connect_is_there():
    assert {org.kind for org in ORGANISATIONS} == set(OrganisationKind)


def test_the_organisations_from_the_brief_are_there():
    names = {org.name for org in ORGANISATIONS}
    for expected in ("Belastingdienst", "UWV", "SVB", "RDW", "DUO", "CJIB", "Gemeente Utrecht",
                     "Gemeente Rotterdam", "Hoogheemraadschap De Stichtse Rijnlanden",
                     "Pensioenfonds ABP", "Zorgverzekeraar Zorgzaam", "Dienst Toeslagen"):
        assert expected in names


def test_add_organisations_twice_adds_them_once(session):
    first = add_organisations(session)
    second = add_organisations(session)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Organisation)) == len(ORGANISATIONS)
    assert {k: o.id for k, o in first.items()} == {k: o.id for k, o in second.items()}
