"""Languages: an explicit choice (kept in the session), then the browser's wish, then Dutch."""

from __future__ import annotations

from flask import Flask, request, session

# Code → the language's name in that language (shown so in the language menu).
LANGUAGES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "pl": "Polski",
    "uk": "Українська",
}
DEFAULT_LANGUAGE = "nl"
RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar"})
SESSION_KEY = "language"


def select_locale() -> str:
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def text_direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def init_app(app: Flask) -> None:
    from flask_babel import get_locale

    from portal.extensions import babel

    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_context() -> dict[str, object]:
        code = str(get_locale() or DEFAULT_LANGUAGE)
        return {"page_lang": code, "page_dir": text_direction(code), "languages": LANGUAGES}
