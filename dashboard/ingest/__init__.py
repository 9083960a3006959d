"""Reading and validation: the CSVs as text, the contract's schema, the validator, the Dataset.

Nothing downstream reads a CSV: it gets a ``Dataset`` that passed ``validate``.
"""
