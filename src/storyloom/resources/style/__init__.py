"""Word lists for storyloom.analysis.style (see each file's header for source and licence)."""
