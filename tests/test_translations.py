"""The French catalogues are complete, current and compiled: `make test` fails on a message left
untranslated or fuzzy, or when the source holds a message the catalogues do not."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from .services import service_missing

PROJECT = Path(__file__).resolve().parents[1]
CATALOGUES = PROJECT / "locale" / "fr" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]


def entries(po: polib.POFile) -> dict:
    return {(e.msgctxt, e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_french_message_is_translated_and_none_is_fuzzy(domain):
    po = polib.pofile(CATALOGUES / f"{domain}.po")

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_the_translated_one(domain):
    po = polib.pofile(CATALOGUES / f"{domain}.po")
    mo = polib.mofile(CATALOGUES / f"{domain}.mo")

    translated = {k: v for k, v in entries(po).items() if k[1]}
    assert {k: v for k, v in entries(mo).items() if k[1]} == translated


def test_the_catalogues_hold_every_message_of_the_source(tmp_path):
    if not shutil.which("xgettext"):
        service_missing("GNU gettext is not installed (apt-get install gettext)")
    saved = {domain: (CATALOGUES / f"{domain}.po").read_bytes() for domain in DOMAINS}
    compiled = {domain: (CATALOGUES / f"{domain}.mo").read_bytes() for domain in DOMAINS}
    try:
        subprocess.run(
            ["sh", "bin/messages"],
            cwd=PROJECT,
            env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin:/usr/local/bin"},
            check=True,
            capture_output=True,
            timeout=300,
        )
        for domain in DOMAINS:
            current = entries(polib.pofile((CATALOGUES / f"{domain}.po").read_text()))
            committed = entries(polib.pofile(saved[domain].decode()))
            assert current == committed, f"run bin/messages and translate what is new in {domain}.po"
    finally:
        for domain in DOMAINS:
            (CATALOGUES / f"{domain}.po").write_bytes(saved[domain])
            (CATALOGUES / f"{domain}.mo").write_bytes(compiled[domain])


def test_messages_are_marked_with_names_makemessages_finds():
    # makemessages looks for _(), gettext(), gettext_lazy() and their kin by name: a message marked
    # through another alias never reaches the catalogues and stays English.
    aliased = re.compile(r"from django\.utils\.translation import .*\b(?:n|p|np)?gettext(?:_lazy)? as (?!_\b)\w+")
    found = [
        f"{path.relative_to(PROJECT)}: {line.strip()}"
        for path in PROJECT.glob("*/**/*.py")
        if not path.is_relative_to(PROJECT / ".venv")
        for line in path.read_text().splitlines()
        if aliased.search(line)
    ]
    assert found == []
