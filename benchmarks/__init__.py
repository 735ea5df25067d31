"""Side-by-side performance runs; not part of the unit tests (`make bench`)."""
