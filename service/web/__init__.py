"""Blueprints, one per audience; the only package that sees Flask's `request`."""
