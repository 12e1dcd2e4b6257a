"""The classroom kit: a student edition of the book and otter-grader assignments from it.

The book's notebooks carry their exercises in one convention
(:mod:`consentlib.classroom.convention`): a solution is one ``{solution}`` Markdown cell whose
code sits in ``{code-cell}`` fences, and the autograded exercises' question names, points,
answer variables and checks live beside the notebook in ``book/checks/<notebook stem>.yml``.
From these, :mod:`consentlib.classroom.student_edition` writes the student notebooks (no
solution, a scaffold per computational exercise) and :mod:`consentlib.classroom.otter_format`
writes the master notebook that ``otter assign`` turns into a student version and an
autograder. :mod:`consentlib.classroom.grading` holds the helpers the checks call.
"""
