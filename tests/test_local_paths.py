"""Issue 16, item 2: the open redirect through a tab in a return path, and a 404's path
copied into the return fields of the language and text-size forms."""

from __future__ import annotations

import pytest

from portal.local_paths import is_local_path
from tests.support.html import CheckedClient
from tests.support.login import log_in


@pytest.mark.parametrize(
    "target",
    [
        "/berichten/",
        "/berichten/?van=3",
        "/machtigingen/0b9d2c2e-3f43-4d0b-9f0e-6e9a3f7e4c11",
        "/",
    ],
)
def test_plain_paths_of_this_site_are_local(target: str) -> None:
    assert is_local_path(target)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",  # the browser drops the tab: //evil.example
        "/\n/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        "/ /evil.example",
        "/\x0b/evil.example",
        "/\x85/evil.example",  # C1 control (NEL)
        "/\u2028/evil.example",
        "/berichten\\..\\..\\evil",
        "https://evil.example/",
        "http:/evil.example",
        "evil.example",
        "",
        None,
        42,
    ],
)
def test_anything_a_browser_could_read_as_another_site_is_refused(target: object) -> None:
    assert not is_local_path(target)


def terug_values(client: CheckedClient, url: str, status: int) -> set[str]:
    soup = client.page(url, status)
    return {str(field["value"]) for field in soup.find_all("input", attrs={"name": "terug"})}


def test_a_404_page_does_not_copy_its_path_into_the_return_fields(client: CheckedClient, db, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    assert terug_values(client, "/%09/evil.example", 404) == {"/"}
    assert terug_values(client, "/bestaat-niet", 404) == {"/"}


def test_a_known_page_still_returns_to_itself(client: CheckedClient, db, demo) -> None:  # type: ignore[no-untyped-def]
    log_in(client, db, "joke")
    assert terug_values(client, "/berichten/archief", 200) == {"/berichten/archief"}


def test_the_reported_path_no_longer_redirects_to_another_site(client: CheckedClient, db, demo) -> None:  # type: ignore[no-untyped-def]
    # The review: open /%09/evil.example, press "English": 302 to //evil.example.
    log_in(client, db, "joke")
    soup = client.page("/%09/evil.example", 404)
    form = soup.find("form", attrs={"action": "/taal"})
    data = {field["name"]: field["value"] for field in form.find_all("input")}
    answer = client.post("/taal", data={**data, "taal": "en"})
    assert answer.status_code == 302
    assert answer.location == "/"


@pytest.mark.parametrize("endpoint", ["/taal", "/instellingen/tekstgrootte"])
@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/evil.example", "/\n/x", "//evil.example"])
def test_a_tampered_return_field_goes_to_the_start_page(client: CheckedClient, endpoint: str, target: str) -> None:
    token = client.csrf_token("/")
    answer = client.post(endpoint, data={"csrf_token": token, "terug": target, "taal": "en", "tekst": "groot"})
    assert answer.status_code == 302  # a CR or LF gave a 500 before
    assert answer.location == "/"
