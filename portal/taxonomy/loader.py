"""Load a version of the taxonomy JSON into the database (used by data migrations).

Rows are matched on their natural key (slug or code) and updated in place, so loading a newer
version never breaks references from other apps.
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

FILES = (
    ("fields.json", "Field", "slug"),
    ("bureaus.json", "ImmigrationBureau", "slug"),
    ("prefectures.json", "Prefecture", "code"),
    ("languages.json", "Language", "code"),
    ("qualifications.json", "Qualification", "slug"),
)


def read(version: str, filename: str) -> list[dict]:
    with open(DATA_DIR / version / filename, encoding="utf-8") as handle:
        return json.load(handle)


def load(apps, version: str) -> None:
    bureaus = {}
    for filename, model_name, key in FILES:
        model = apps.get_model("taxonomy", model_name)
        for row in read(version, filename):
            values = dict(row)
            natural_key = values.pop(key)
            if model_name == "Prefecture":
                values["bureau"] = bureaus[values["bureau"]]
            obj, _ = model.objects.update_or_create(**{key: natural_key}, defaults=values)
            if model_name == "ImmigrationBureau":
                bureaus[natural_key] = obj
