"""The reader's view of the evidence: filters, the filtered tables, and the domain answers.

``view.view_of(dataset, state)`` is the one place filters (the known-as-of rule included) are
applied; steps, claims, places and findings answer from a ``View``, so every page, chart and
export gives the same answer for the same filters.
"""
