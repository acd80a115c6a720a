"""Every form leaves what to fix to the server: the browser's validation bubbles
(short-lived, small, and in the browser's language on Spanish screens) are off,
so the server's message next to the field, in the user's language, is what the
officer sees."""
import pathlib
import re

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"
FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)


def _forms():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in FORM_TAG.findall(path.read_text(encoding="utf-8")):
            yield path.relative_to(TEMPLATES), tag


def test_the_templates_have_forms_to_check():
    assert len(list(_forms())) > 40


def test_every_form_turns_the_browser_bubbles_off():
    bubbling = [f"{path}: {' '.join(tag.split())[:100]}" for path, tag in _forms()
                if not re.search(r"\snovalidate\b", tag)]
    assert not bubbling, "add novalidate to these forms:\n" + "\n".join(bubbling)
