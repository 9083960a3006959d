"""Charts as pure functions of the view: each builder returns a ``ChartSpec``.

A spec carries the figure, the rows behind it and its sources, for the page, the files and the
briefing pack alike.
"""
