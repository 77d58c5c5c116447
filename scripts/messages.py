"""Refresh the interface catalogues: extract strings, fill the English one, compile both.

English is the source language, so its catalogue maps every message to itself; Japanese entries
that are new or changed come out empty or fuzzy and must be translated before the tests pass.
Run with ``make messages``.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "portal" / "locale"
PYTHON = sys.executable


def main() -> int:
    subprocess.run(
        [
            PYTHON,
            "manage.py",
            "makemessages",
            "-l",
            "ja",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=tests",
            "--ignore=static",
            "--ignore=scripts",
        ],
        cwd=ROOT,
        check=True,
    )
    english = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    for entry in english:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    english.metadata["Language"] = "en"
    english.metadata_is_fuzzy = False
    english.save()
    subprocess.run([PYTHON, "manage.py", "compilemessages", "--ignore=.venv"], cwd=ROOT, check=True)
    japanese = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    missing = japanese.untranslated_entries() + japanese.fuzzy_entries()
    for entry in missing:
        print(f"ja: needs translation: {entry.msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
