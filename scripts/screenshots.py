"""Screenshots of every page as readers see it: desktop and phone, light and dark.

    uv run --frozen python scripts/screenshots.py OUT_DIR [--pages timeline,map] [--query from=2024]

Starts the app on the shipped data, opens each page in Debian's Chromium at 1366x768 and at
390x844 (a phone), with the system set to light and to dark, and saves the whole page as
OUT_DIR/<page>-<size>-<mode>.png. Also prints each chart's plot width, the number the phone
layout is judged by. For a reviewer's eyes; the browser tests check what can be checked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from bench.harness import (
    APP_IDLE,
    ARTIFACTS,
    RENDERED_JS,
    StreamlitServer,
    app_pages,
    launch_chromium,
)

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
MODES = ("light", "dark")
# Each Plotly chart's plotting area (the axes' domain, without margins and legend), in px.
PLOT_WIDTHS_JS = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
  (gd) => Math.round((gd._fullLayout && gd._fullLayout._size) ? gd._fullLayout._size.w : 0))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", help="comma-separated page slugs (default: all)")
    parser.add_argument("--query", default="", help="a query string for every page")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages = app_pages()
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [page for page in pages if page.slug in wanted]
    server = StreamlitServer(log_path=ARTIFACTS / "screenshots-server.log").start()
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for mode in args.modes.split(","):
                for size in args.sizes.split(","):
                    width, height = SIZES[size]
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=mode
                    )
                    page = context.new_page()
                    # A fresh server's first visit must be the app's root: a first visit to a
                    # page's own path runs that page alone (Streamlit's old pages/ mode).
                    page.goto(server.url(), wait_until="domcontentloaded")
                    page.wait_for_selector(APP_IDLE, state="attached", timeout=90_000)
                    for app_page in pages:
                        page.goto(server.url(app_page, args.query), wait_until="domcontentloaded")
                        page.wait_for_selector(APP_IDLE, state="attached", timeout=90_000)
                        page.wait_for_function(RENDERED_JS, arg=800, polling=100, timeout=90_000)
                        widths = page.evaluate(PLOT_WIDTHS_JS)
                        tall = page.evaluate(
                            """() => document.querySelector('[data-testid="stMain"]')
                                       .scrollHeight"""
                        )
                        page.set_viewport_size({"width": width, "height": min(int(tall), 9000)})
                        page.wait_for_timeout(700)
                        path = args.out / f"{app_page.slug}-{size}-{mode}.png"
                        page.screenshot(path=str(path))
                        page.set_viewport_size({"width": width, "height": height})
                        print(f"{path.name}: plot widths {widths}")
                    context.close()
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
