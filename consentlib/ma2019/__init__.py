"""What belongs to Ma (2019), "Consent to Contend", and to this book, apart from the reusable core.

Modules
-------
published
    Tables 1–4 exactly as the article prints them.
checks
    Consistency checks of printed regression tables ("rounds to the printed digits").
calibration
    The generator of the synthetic replication data, calibrated to the printed tables.
replication
    Tables 1–4 recomputed from respondent-level data, beside the printed numbers.
figures
    The chapters' own figures (the county's events, the cases, the article's tables, the model).

The formal model is :mod:`consentlib.model`; the datasets are loaded by :mod:`consentlib.data`
(``cl.replication_data()``, ``cl.cases()``).
"""
