"""WCAG 2.1 AA contrast (BITV 2.0), measured in Chromium on every page type.

Every visible element with its own text is checked: its computed colour against the first
opaque background among its ancestors, at least 4.5:1, or 3:1 for large text (24 px, or
18.66 px bold).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .test_accessibility import MISSING
from .test_accessibility import PAGES as ACCESSIBILITY_PAGES

PAGES = [path for path in ACCESSIBILITY_PAGES if path != MISSING]

LOW_CONTRAST = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('svg, canvas, .CodeMirror, [aria-hidden="true"]')) continue;
    const s = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const hidden = s.visibility !== 'visible' || s.opacity === '0';
    if (hidden || box.width === 0 || box.height === 0) continue;
    const fg = parse(s.color), bg = background(el);
    if (!fg || !bg || fg.a < 0.99) continue;
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const text = el.textContent.trim().slice(0, 40);
    if (ratio < needed) found.push(`${el.tagName}.${el.className} "${text}" ${ratio.toFixed(2)}:1`);
  }
  return found;
}
"""


@pytest.mark.parametrize("path", PAGES)
def test_text_contrast_meets_wcag_aa(page: Page, live_server: str, path: str) -> None:
    page.goto(f"{live_server}{path}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(LOW_CONTRAST) == []


def test_the_check_finds_low_contrast(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/")
    page.evaluate(
        """() => { const p = document.createElement('p'); p.textContent = 'pale';
        p.style.color = '#bbbbbb'; document.querySelector('main').append(p); }"""
    )
    found = page.evaluate(LOW_CONTRAST)
    assert len(found) == 1
    assert '"pale"' in found[0]
