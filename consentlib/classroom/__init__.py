"""The classroom kit: a student edition of the book and otter-grader assignments from it.

The book's notebooks carry their computational exercises in one convention
(:mod:`consentlib.classroom.convention`): the question's name, points, answer variables and
checks live in the exercise cell's metadata, and solution cells carry the tag ``solution``. From
that one source, :mod:`consentlib.classroom.student_edition` writes the student notebooks (no
solution, a scaffold per computational exercise) and :mod:`consentlib.classroom.otter_format`
writes the master notebook that ``otter assign`` turns into a student version and an
autograder. :mod:`consentlib.classroom.grading` holds the helpers the checks call.
"""
