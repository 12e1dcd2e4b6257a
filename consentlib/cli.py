"""The ``consentlib`` command line.

``consentlib replicate`` recomputes the article's Tables 1–4 from the synthetic replication data
and prints every number beside the published one. It exits with status 1 if any number misses
its target, so it doubles as a check in scripts and CI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd


def _format_comparison(comparison: pd.DataFrame) -> str:
    shown = comparison.copy()
    shown["reproduced"] = [
        f"{v:.3g}" if p.startswith("<") else f"{v:.{max(len(p.split('.')[-1]), 2)}f}"
        for v, p in zip(shown["reproduced"], shown["published"], strict=True)
    ]
    shown["difference"] = [
        "" if pd.isna(d) else f"{d:+.1e}" if d else "0" for d in shown["difference"]
    ]
    shown["status"] = [
        ("ok" if ok else "MISS") + (f" (target {target})*" if alternative else "")
        for ok, alternative, target in zip(
            shown["matches"], shown["alternative_target"], shown["target"], strict=True
        )
    ]
    columns = ["table", "row", "quantity", "published", "reproduced", "difference", "status"]
    return shown[columns].to_string(index=False)


def replicate(_: argparse.Namespace) -> int:
    """Print Tables 1–4 beside the published values; 0 if every target is met, else 1."""
    from .data import replication_data
    from .ma2019.replication import replicate_tables

    data = replication_data()
    comparison = replicate_tables(data).comparison()
    print(
        "Tables 1-4 of Ma (2019), 'Consent to Contend', recomputed from SYNTHETIC data\n"
        "(consentlib.data.replication_data: calibrated to the published tables; not the survey's\n"
        "microdata, which are not public).\n"
    )
    print(_format_comparison(comparison))
    if comparison["alternative_target"].any():
        print(
            "\n* No dataset reaches every printed intercept together with all the other printed\n"
            "  numbers: with enumerator dummies, n1 * intercept + n_b1 * effect is a sum of\n"
            "  integer responses, and (SE_intercept / SE_effect)^2 depends only on the design.\n"
            "  These two are checked against the values a dataset can attain. Table 2's printed\n"
            "  t of 14.769 itself implies an intercept near 2.9400, so 2.9403 is likely a typo."
        )
    misses = int((~comparison["matches"]).sum())
    print(f"\n{len(comparison) - misses} of {len(comparison)} numbers reproduced.")
    return 1 if misses else 0


def student(arguments: argparse.Namespace) -> int:
    """Write the student edition (and, with ``--html``, its website); 0 on success."""
    from pathlib import Path

    from .classroom.student_edition import write_student_edition

    edition = write_student_edition(arguments.source, arguments.outdir)
    print(f"{len(edition.notebooks)} student notebooks in {edition.root / 'book'}")
    print(f"archive for a learning-management system: {edition.zip_path}")
    if arguments.html:
        from .classroom.site import build_student_site

        print(f"website: {build_student_site(edition.root, Path(arguments.html))}")
    return 0


def otter_master(arguments: argparse.Namespace) -> int:
    """Write the otter-grader master notebook of a book notebook; 0 on success."""
    from .classroom.otter_format import write_otter_master

    path = write_otter_master(arguments.notebook, arguments.outdir, arguments.name)
    print(f"{path}\nnext: otter assign {path} DIST")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``consentlib``; by default those of the process.

    Returns
    -------
    int
        0 when every published number is reproduced, 1 otherwise. Bad arguments, and input
        the command refuses, print the usage and a message and exit with status 2.

    Examples
    --------
    >>> main(["replicate"])  # doctest: +ELLIPSIS
    Tables 1-4 of Ma (2019)...
    33 of 33 numbers reproduced.
    0
    """
    parser = argparse.ArgumentParser(
        prog="consentlib", description="Companion library of the Consent to Contend textbook."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "replicate", help="recompute Tables 1-4 and compare them with the published values"
    ).set_defaults(run=replicate)
    student_parser = commands.add_parser(
        "student", help="write the student edition: every notebook without solutions, and a zip"
    )
    student_parser.add_argument("outdir", help="the directory to write (replaced)")
    student_parser.add_argument(
        "--source", default=".", help="the book's repository root (default: the current directory)"
    )
    student_parser.add_argument("--html", help="also build the student website into this folder")
    student_parser.set_defaults(run=student)
    otter_parser = commands.add_parser(
        "otter-master", help="write the otter-grader master notebook of a book notebook"
    )
    otter_parser.add_argument("notebook", help="a book notebook in the exercise convention")
    otter_parser.add_argument("outdir", help="the directory to write the master notebook to")
    otter_parser.add_argument("--name", help="the assignment's name (default: the file stem)")
    otter_parser.set_defaults(run=otter_master)
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except (ValueError, OSError) as error:
        # Bad input (a missing file, an unknown name, data a check refuses) is the user's to
        # fix: a usage message and status 2, as for a bad argument, not a traceback.
        parser.error(str(error))


if __name__ == "__main__":
    sys.exit(main())
