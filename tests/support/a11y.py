"""Checks that axe cannot do, run in the page under test (issue 5): keyboard order and
visible, unobscured focus; reflow and 200% text; WCAG text-spacing overrides; reduced motion;
forced colours. Each returns nothing and fails with what it found, naming the page."""

from __future__ import annotations


from playwright.sync_api import Locator, Page

# What Tab can reach, in DOM order. A radio group is one stop (its checked or first radio).
_MARK_TAB_STOPS = """
() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
    + ' select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const visible = (el) => {
    if (el.closest('[hidden], [inert], dialog:not([open])')) return false;
    const closedDetails = el.closest('details:not([open])');
    if (closedDetails && !(el.tagName === 'SUMMARY' && el.parentElement === closedDetails)) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    return el.getClientRects().length > 0;
  };
  const seenGroups = new Set();
  const stops = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    if (el.type === 'radio' && el.name) {
      if (seenGroups.has(el.form + el.name)) continue;
      const group = [...document.querySelectorAll(`input[type=radio][name="${el.name}"]`)];
      const chosen = group.find((r) => r.checked) || group[0];
      seenGroups.add(el.form + el.name);
      stops.push(chosen);
      continue;
    }
    stops.push(el);
  }
  stops.forEach((el, i) => el.setAttribute('data-tab-stop', String(i)));
  return stops.length;
}
"""

# The kind of control, for proving focus by screenshot once per kind: element, type, classes
# and the landmark it stands in.
_SIGNATURE = """(el) => [el.tagName, el.type || '', el.className,
  (el.closest('header, nav, main, footer, [role=region]') || document.body).tagName].join('|')"""

_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + Math.min(r.height / 2, 8);
  const top = document.elementFromPoint(x, y);
  const uncovered = top !== null && (top === el || el.contains(top) || top.contains(el)
    || (el.tagName === 'INPUT' && top.tagName === 'LABEL' && top.htmlFor === el.id));
  return {
    stop: el.getAttribute('data-tab-stop'),
    what: el.outerHTML.slice(0, 120),
    kind: el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase(),
    signature: (SIGNATURE)(el),
    drawn: el.matches(':focus-visible') && (() => {
      const s = getComputedStyle(el);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    })(),
    rect: [r.left, r.top, r.width, r.height],
    inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    uncovered,
  };
}
""".replace("SIGNATURE", _SIGNATURE)

# Elements whose content is cut off: overflow hidden or clipped, content bigger than the box.
# (The visually-hidden pattern, 1 px boxes meant for screen readers, is left out.)
_CLIPPED = """
() => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    const clipsX = ['hidden', 'clip'].includes(s.overflowX), clipsY = ['hidden', 'clip'].includes(s.overflowY);
    if (!clipsX && !clipsY) continue;
    if (el.clientWidth <= 2 || el.clientHeight <= 2) continue;
    if (!el.textContent.trim() || !el.checkVisibility({visibilityProperty: true})) continue;
    if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
      found.push(el.outerHTML.slice(0, 100));
    }
  }
  return found;
}
"""

# Text boxes (elements with their own text) that overlap another one that is not their
# ancestor or descendant.
_OVERLAPS = """
() => {
  const boxes = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('[hidden], dialog:not([open]), .visually-hidden, .skip-link')) continue;
    // Not drawn: inside a closed <details>, display none, visibility hidden.
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    const range = document.createRange();
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0) boxes.push({el, r});
      }
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 2) found.push([a.el.outerHTML.slice(0, 80), b.el.outerHTML.slice(0, 80)]);
      if (found.length > 5) return found;
    }
  }
  return found;
}
"""

# WCAG 1.4.12 text spacing, set through the CSSOM (allowed under the strict CSP).
_TEXT_SPACING = """
() => {
  for (const el of document.querySelectorAll('body, body *')) {
    el.style.setProperty('line-height', '1.5', 'important');
    el.style.setProperty('letter-spacing', '0.12em', 'important');
    el.style.setProperty('word-spacing', '0.16em', 'important');
    if (el.tagName === 'P') el.style.setProperty('margin-bottom', '2em', 'important');
  }
}
"""

_MOVING = """
() => {
  const moving = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      const animated = s.animationName !== 'none' && parseFloat(s.animationDuration) > 0;
      const transitions = s.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
      if (animated || transitions) moving.push(el.outerHTML.slice(0, 80) + (pseudo || ''));
    }
  }
  return {moving, running: document.getAnimations().length, smooth: getComputedStyle(document.documentElement).scrollBehavior};
}
"""

_CONTROLS_DRAWN = """
() => {
  const hidden = [];
  for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href]')) {
    if (el.closest('[hidden], dialog:not([open]), details:not([open]) > :not(summary)')) continue;
    if (el.classList.contains('skip-link') || el.getClientRects().length === 0) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const bordered = ['Top', 'Right', 'Bottom', 'Left'].some(
      (side) => s[`border${side}Style`] !== 'none' && parseFloat(s[`border${side}Width`]) > 0);
    const text = (el.innerText || el.value || '').trim().length > 0;
    const nativeBox = ['checkbox', 'radio'].includes(el.type);
    if (r.width < 1 || r.height < 1 || !(bordered || text || nativeBox)) hidden.push(el.outerHTML.slice(0, 100));
  }
  return hidden;
}
"""

_DATE_PARTS = 3
_DATE_KINDS = frozenset({"date", "time", "datetime-local", "month", "week"})
# The same signature as _FOCUSED gives, for every marked stop.
_SIGNATURES = """
() => [...document.querySelectorAll('[data-tab-stop]')]
  .sort((a, b) => a.dataset.tabStop - b.dataset.tabStop)
  .map(SIGNATURE)
""".replace("SIGNATURE", _SIGNATURE)

CLIP_MARGIN = 10  # px around a control: the focus ring is drawn outside its box


def mark_tab_stops(page: Page) -> int:
    return int(page.evaluate(_MARK_TAB_STOPS))


def _clip(page: Page, rect: list[float]) -> dict[str, float]:
    size = page.viewport_size or {"width": 1280, "height": 800}
    x = max(0.0, rect[0] - CLIP_MARGIN)
    y = max(0.0, rect[1] - CLIP_MARGIN)
    width = min(size["width"] - x, rect[2] + 2 * CLIP_MARGIN)
    height = min(size["height"] - y, rect[3] + 2 * CLIP_MARGIN)
    return {"x": x, "y": y, "width": max(1.0, width), "height": max(1.0, height)}


def keyboard_walk(page: Page, seen: set[str] | None = None) -> int:
    """Tab from the top of the page through every stop: in DOM order, focus drawn (an outline
    or ring on :focus-visible) and not hidden behind anything; after the last stop Tab comes
    back to the first (no trap). For each kind of control not in ``seen`` yet, a screenshot
    proves the focus visible: the spot looks different focused and unfocused.
    Returns the number of stops."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.mouse.move(0, 0)
    count = mark_tab_stops(page)
    assert count > 0, f"Nothing to reach by keyboard on {page.url}"
    new_kinds: list[str] = []
    # Start before the first stop: focus the document itself.
    page.evaluate("() => { document.body.setAttribute('tabindex', '-1'); document.body.focus();"
                  " document.body.removeAttribute('tabindex'); }")
    for expected in range(count):
        page.keyboard.press("Tab")
        here = page.evaluate(_FOCUSED)
        # A date field has a Tab stop for each of its parts (day, month, year).
        for _ in range(_DATE_PARTS):
            if here is None or here["stop"] != str(expected - 1) or here["kind"] not in _DATE_KINDS:
                break
            page.keyboard.press("Tab")
            here = page.evaluate(_FOCUSED)
        assert here is not None, f"Tab {expected + 1} left the page early on {page.url}"
        if here["stop"] != str(expected):
            wanted = page.locator(f'[data-tab-stop="{expected}"]').evaluate("el => el.outerHTML.slice(0, 120)")
            raise AssertionError(f"Tab {expected + 1} on {page.url} reached {here['what']}, expected {wanted}")
        assert here["inView"] and here["uncovered"], f"Focus hidden on {page.url}: {here}"
        assert here["drawn"], f"No focus style on {page.url}: {here['what']}"
        if seen is not None and here["signature"] not in seen:
            seen.add(here["signature"])
            new_kinds.append(here["stop"])
    # Past the last stop focus may leave the document for the browser; Tab comes back to the
    # first stop and to no other (no trap, nothing unreachable in between).
    again = None
    for _ in range(3):
        page.keyboard.press("Tab")
        again = page.evaluate(_FOCUSED)
        if again is not None and again["stop"] is not None:
            break
    assert again is not None and again["stop"] == "0", f"Keyboard trap or lost focus on {page.url}: {again}"
    for stop in new_kinds:
        assert_focus_looks_different(page, page.locator(f'[data-tab-stop="{stop}"]'))
    return count


def assert_focus_looks_different(page: Page, stop: Locator) -> None:
    """The same spot, unfocused and then focused by keyboard: the screenshots differ."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    stop.scroll_into_view_if_needed()
    box = stop.bounding_box()
    assert box is not None
    clip = _clip(page, [box["x"], box["y"], box["width"], box["height"]])
    plain = page.screenshot(clip=clip, animations="disabled")
    stop.focus()  # after keyboard use, so :focus-visible applies
    assert stop.evaluate("el => el.matches(':focus-visible')"), "not focused by keyboard"
    ring = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    assert ring != plain, f"Focus not visible on {page.url}: {stop.evaluate('el => el.outerHTML.slice(0, 120)')}"


def assert_nothing_clipped(page: Page, what: str) -> None:
    clipped = page.evaluate(_CLIPPED)
    assert clipped == [], f"{what}: text cut off on {page.url}: {clipped}"


def assert_no_overlap(page: Page, what: str) -> None:
    overlaps = page.evaluate(_OVERLAPS)
    assert overlaps == [], f"{what}: text overlaps on {page.url}: {overlaps}"


def assert_no_horizontal_scroll(page: Page, what: str) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{what}: horizontal scrolling on {page.url}: {widths}"


def check_reflow(page: Page) -> None:
    """320 CSS px wide without horizontal scrolling; text at 200% with nothing cut off."""
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page, "320 px")
    assert_nothing_clipped(page, "320 px")
    page.set_viewport_size(size)
    page.evaluate("() => document.documentElement.style.setProperty('font-size', '200%')")
    assert_no_horizontal_scroll(page, "200% text")
    assert_nothing_clipped(page, "200% text")
    page.evaluate("() => document.documentElement.style.removeProperty('font-size')")


def check_text_spacing(page: Page) -> None:
    """WCAG 1.4.12: line height 1.5, letter 0.12em, word 0.16em, paragraphs 2em apart."""
    page.evaluate(_TEXT_SPACING)
    assert_nothing_clipped(page, "text spacing")
    assert_no_overlap(page, "text spacing")
    assert_no_horizontal_scroll(page, "text spacing")


def check_reduced_motion(page: Page) -> None:
    page.emulate_media(reduced_motion="reduce")
    found = page.evaluate(_MOVING)
    page.emulate_media(reduced_motion="no-preference")
    assert found["moving"] == [] and found["running"] == 0, f"Motion on {page.url}: {found}"
    assert found["smooth"] != "smooth", f"Smooth scrolling on {page.url}"


def check_forced_colours(page: Page, seen: set[str] | None = None) -> None:
    """In forced colours every control keeps a border or its text, and focus stays drawn:
    proved by screenshots for each kind of control not in ``seen`` yet."""
    page.emulate_media(forced_colors="active")
    try:
        hidden = page.evaluate(_CONTROLS_DRAWN)
        assert hidden == [], f"Controls without border or text in forced colours on {page.url}: {hidden}"
        count = mark_tab_stops(page)
        kinds = page.evaluate(_SIGNATURES)
        for index in range(count):
            if seen is None or kinds[index] in seen:
                continue
            seen.add(kinds[index])
            assert_focus_looks_different(page, page.locator(f'[data-tab-stop="{index}"]'))
    finally:
        page.emulate_media(forced_colors="none")
