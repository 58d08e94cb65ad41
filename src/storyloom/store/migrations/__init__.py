"""Alembic migrations of the story library (run by :func:`storyloom.store.migrate`)."""
