"""The API reference documents each public module once, and each object in one place."""

from __future__ import annotations

from tools.docs.api import describe, index_page, module_page, public_modules


def test_public_modules_leave_out_private_and_test_modules() -> None:
    names = public_modules("vitale_ref")
    assert names[0] == "vitale_ref"
    assert "vitale_ref.nir" in names
    assert not [n for n in names if any(p.startswith(("_", "test_")) for p in n.split("."))]
    assert not [n for n in public_modules("conformance") if ".test_" in n]


def test_reexport_of_a_public_module_is_documented_there_only() -> None:
    documented = {"conformance", "conformance.requirements"}
    doc = describe("conformance", documented)
    assert ("load_requirements", "conformance.requirements") in doc.elsewhere
    assert "load_requirements" not in doc.members
    page = module_page(doc)
    assert "* ``load_requirements``, documented in :mod:`conformance.requirements`" in page


def test_reexport_of_a_private_module_is_documented_where_users_import_it() -> None:
    doc = describe("vitale_ref.enrolment", {"vitale_ref.enrolment"})
    assert "transitions" in doc.members  # defined in vitale_ref.enrolment._table
    assert ".. automodule:: vitale_ref.enrolment\n   :members: " in module_page(doc)


def test_module_that_does_not_import_is_reported() -> None:
    doc = describe("vitale_ref.no_such_module", set())
    assert doc.error.startswith("ModuleNotFoundError")
    page = index_page([doc], {"vitale_ref.legacy": "being rewritten"})
    assert "vitale_ref.no_such_module" not in page
    assert "* ``vitale_ref.legacy``: being rewritten" in page
