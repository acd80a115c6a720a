"""The Spanish catalog is complete, well formed, compiled, and up to date with
the text of the screens (see README, "Languages", for the commands)."""
import os
import subprocess
import sys

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from fieldapp.messages import Message
from fieldapp.web.i18n import DATE_PATTERNS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PO = os.path.join(ROOT, "translations", "es", "LC_MESSAGES", "messages.po")
MO = PO[:-2] + "mo"


@pytest.fixture(scope="module")
def catalog():
    with open(PO, "rb") as f:
        return read_po(f, locale="es")


def _key(message):
    return (message.context, message.id if isinstance(message.id, str) else tuple(message.id))


def _text(message):
    return message.string if isinstance(message.string, str) else tuple(message.string)


def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    untranslated = [m.id for m in catalog if m.id and (
        "fuzzy" in m.flags or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    assert not untranslated, f"translate these in {PO}: {untranslated}"


def test_placeholders_of_each_translation_match_its_english(catalog):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems


def test_the_compiled_catalog_is_the_one_written(catalog):
    with open(MO, "rb") as f:
        compiled = {_key(m): _text(m) for m in read_mo(f) if m.id}
    written = {_key(m): _text(m) for m in catalog if m.id}
    assert compiled == written, "run: .venv/bin/pybabel compile -d translations"


def test_the_catalog_holds_every_string_of_the_screens(catalog, tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-o", str(pot), "--no-location", "."],
                   cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": ROOT})
    with open(pot, "rb") as f:
        wanted = {_key(m) for m in read_po(f) if m.id}
    missing = sorted(wanted - {_key(m) for m in catalog if m.id}, key=str)
    assert not missing, ("new text on the screens; run the extract and update commands in the "
                         f"README (Languages) and translate: {missing}")


def test_a_message_reads_as_plain_english_everywhere_outside_the_screens():
    message = Message("Choose the %(label)s.", english="Choose the method.", label=Message("Method"))
    assert message == "Choose the method." and str(message) == "Choose the method."
    assert (message.msgid, message.values["label"]) == ("Choose the %(label)s.", "Method")
    assert Message("%(count)s left", count="3") == "3 left"


def test_every_date_format_of_the_screens_has_a_pattern():
    import re
    used = set()
    for folder, _, files in os.walk(os.path.join(ROOT, "templates")):
        for name in files:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                used |= set(re.findall(r"\|(?:day|local)\('([^']+)'\)", f.read()))
    assert used <= set(DATE_PATTERNS), f"add a CLDR pattern to DATE_PATTERNS for {used - set(DATE_PATTERNS)}"
