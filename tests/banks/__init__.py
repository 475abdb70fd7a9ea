"""Validity banks: one module per TP, named after its assignment id, defining WRONG and CORRECT.

WRONG holds plausible student bugs, one per variant and each of a different kind: every one
must lose points on the test cell(s) of the answer it touches. CORRECT holds other ways a
student may legitimately write the same answer: each must keep full marks on every test cell
that runs. Each `code` replaces the whole answer cell, as a student would have written it.
Most wrong answers are the teacher's answer with one slip (`mutant`), so a bank fails loudly
when the solution changes instead of silently testing stale code.
"""
