"""consentlib: the companion library of the *Consent to Contend* textbook.

Each module does one job; the API reference of the book lists them.

Examples
--------
>>> import consentlib
>>> isinstance(consentlib.__version__, str)
True
"""

__version__ = "0.1.0"
