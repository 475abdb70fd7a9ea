"""Validity banks: one module per TP, named after its assignment id, defining WRONG and CORRECT."""
