"""The HTML the pages set with ``st.html``, rendered from Jinja2 templates in ``templates/``.

Autoescape is on for every template, so data text (a quote, a source's title, a label) is
shown as written and can never become markup; a template that needs markup of its own builds
it in the template, not in a Python string. ``StrictUndefined`` makes a misspelt variable an
error in the tests rather than an empty space on a page. The ``http_url`` filter is the one rule
for links to the outside: only an http(s) address becomes an ``href``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jinja2


def http_url(url: object) -> str | None:
    """An http(s) URL fit for an ``href``, or None: a ``javascript:`` link is not a source."""
    text = str(url or "").strip()
    return text if re.match(r"https?://", text, flags=re.IGNORECASE) else None


@functools.cache
def environment() -> jinja2.Environment:
    """One environment per process: Jinja2 compiles and caches each template once."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dashboard.ui", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["http_url"] = http_url
    return env


def render(name: str, **context: Any) -> str:
    """The template ``templates/<name>`` rendered with ``context``."""
    return environment().get_template(name).render(**context)
