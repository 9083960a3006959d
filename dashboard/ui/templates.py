"""The HTML the pages set with ``st.html``, rendered from Jinja2 templates in ``templates/``.

Autoescape is on for every template, so data text (a quote, a source's title, a label) is
shown as written and can never become markup; a template that needs markup of its own builds
it in the template, not in a Python string. ``StrictUndefined`` makes a misspelt variable an
error in the tests rather than an empty space on a page.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    """One environment per process: Jinja2 compiles and caches each template once."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dashboard.ui", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, **context: Any) -> str:
    """The template ``templates/<name>`` rendered with ``context``."""
    return environment().get_template(name).render(**context)
