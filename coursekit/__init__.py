"""Instructor tooling for the course: notebook hygiene, release, demo class, validity banks."""
