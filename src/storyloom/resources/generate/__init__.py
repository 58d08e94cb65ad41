"""Generation resources: reflective closes, phrase banks, substitution tables."""
