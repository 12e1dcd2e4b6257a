"""The book's one figure style, and the figures its chapters share.

Every figure in the book is drawn after :func:`use_book_style`, so that fonts, colours and sizes
agree from chapter to chapter. Each arm of the experiment keeps one colour everywhere.
"""

from __future__ import annotations

import matplotlib as mpl

#: One colour per experimental condition, used by every figure in the book.
CONDITION_COLORS: dict[str, str] = {
    "control": "#4d4d4d",
    "placebo": "#e69f00",
    "treatment": "#0072b2",
}

#: A colour-blind-safe palette (Okabe & Ito) for everything else.
PALETTE: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)

_STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
}


def use_book_style() -> None:
    """Set the book's matplotlib style for every figure drawn afterwards.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> use_book_style()
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    mpl.rcParams.update(_STYLE)
