"""Takes the lesson cards' screenshots from the live portal in practice mode (issue 10, item 5).

    ./scripts/lesson-cards [--pdf-dir lesson-cards-pdf]

For every lesson with cards and every language: a fresh sandbox of the lesson, logged in
through the practice DigiD as the lesson's learner; each card's page is opened and the top of
its content saved as portal/static/lesson-cards/<lesson>/<language>-<n>.jpg, with the page's
heading in cards.json (the test that keeps the cards true compares it with the page). Then
each lesson's print view is saved as a PDF per language in ``--pdf-dir``.
"""

from __future__ import annotations

import argparse
import logging
import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from portal import create_app, migrate  # noqa: E402
from portal.config import PortalMode  # noqa: E402
from portal.demo.people import PRACTICE_PASSWORD  # noqa: E402
from portal.domain.mandates import today_in_nl  # noqa: E402
from portal.i18n import LANGUAGES  # noqa: E402
from portal.practice import browser as practice_browser  # noqa: E402
from portal.practice import cards, sandboxes, scenarios  # noqa: E402
from portal.timeutil import utcnow  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
JPEG_QUALITY = 70
PORT = 5181


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf-dir", default="lesson-cards-pdf")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lesson-cards-"))
    base = f"http://127.0.0.1:{PORT}"
    url = f"sqlite:///{workdir}/cards.sqlite3"
    import os

    os.environ["PORTAL_INSTANCE_PATH"] = str(workdir)
    app = create_app({"ENV": "test", "DATABASE_URL": url, "MODE": PortalMode.PRACTICE, "BASE_URL": base,
                      "PRACTICE_DIGID": True, "OIDC_ISSUER": base + "/oefen-digid",
                      "OIDC_REDIRECT_URI": base + "/inloggen/terug", "SECRET_KEY": os.urandom(16).hex()})
    engine = app.extensions["portal.engine"]
    migrate.upgrade(engine)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pdf_dir = Path(args.pdf_dir)
    pdf_dir.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        lessons = [item for item in scenarios.lessons() if item.scenario.cards]
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for lesson in lessons:
                folder = cards.CARDS_DIR / lesson.key
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                index: dict[str, list[dict[str, object]]] = {}
                for language in LANGUAGES:
                    index[language] = _shots(chromium, app, engine, base, lesson, language, folder)
                (folder / cards.INDEX_FILE).write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n",
                                                       encoding="utf-8")
                for language in LANGUAGES:
                    context = chromium.new_context(locale=language, base_url=base)
                    page = context.new_page()
                    page.goto(f"/oefenen/kaarten/{lesson.key}")
                    page.pdf(path=str(pdf_dir / f"{lesson.key}-{language}.pdf"), format="A4", print_background=True)
                    context.close()
                print(f"{lesson.key}: {len(lesson.scenario.cards)} cards in {len(LANGUAGES)} languages")
            chromium.close()
    finally:
        server.shutdown()
        engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"screenshots: {cards.CARDS_DIR}; PDFs: {pdf_dir}")


def _shots(chromium, app, engine, base, lesson, language, folder) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    now = utcnow()
    with Session(engine, expire_on_commit=False) as db:
        made = sandboxes.create(db, lesson.key, today_in_nl(now), now)
        sandbox_id = made.sandbox.id
    context = chromium.new_context(locale=language, base_url=base,
                                   viewport={"width": cards.SHOT_WIDTH, "height": cards.SHOT_HEIGHT})
    context.add_cookies([{"name": practice_browser.COOKIE_NAME, "value": made.token, "url": base}])
    page = context.new_page()
    logged_in = False
    shots = []
    for number, card in enumerate(lesson.scenario.cards, start=1):
        if card.logged_in and not logged_in:
            page.goto("/inloggen")
            page.locator("#username").fill(lesson.people[0])
            page.locator("#password").fill(PRACTICE_PASSWORD)
            page.locator("form.login-form button[type=submit]").click()
            page.wait_for_load_state()
            logged_in = True
        with app.app_context(), Session(engine) as db:
            path = cards.path_of(db, sandbox_id, lesson, card)
        page.goto(path)
        heading = " ".join(page.locator("h1").first.inner_text().split())
        name = cards.shot_name(language, number)
        # From the top of the page's own content (below the bar, header and menu).
        top = (page.locator("main").bounding_box() or {"y": 0})["y"]
        page.screenshot(path=str(folder / name), type="jpeg", quality=JPEG_QUALITY, full_page=True,
                        clip={"x": 0, "y": top, "width": cards.SHOT_WIDTH, "height": cards.SHOT_HEIGHT})
        shots.append({"image": name, "heading": heading, "path": card.path,
                      "width": cards.SHOT_WIDTH, "height": cards.SHOT_HEIGHT})
    context.close()
    with Session(engine) as db:
        sandboxes.remove(db, sandbox_id)
        db.commit()
    return shots


if __name__ == "__main__":
    main()
