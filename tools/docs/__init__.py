"""Builders of the generated documentation: traceability, pages, diagrams, screenshots.

These helpers know nothing of Sphinx; the extension in docs/_ext calls them at build
time, and the tests call them on synthetic inputs.
"""
