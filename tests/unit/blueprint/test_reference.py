"""The blueprint reference (docs/blueprint-reference.md): generated, up to date, and complete for every model field."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from landing_zone.blueprint import codes, reference
from landing_zone.blueprint.model import Blueprint
from landing_zone.blueprint.reference import (
    BEGIN,
    COMMAND,
    END,
    field_key,
    reference_markdown,
    replace_block,
    sections,
)

PAGE = Path(__file__).resolve().parents[3] / reference.FILE
DEFAULT_WORDING = ("Default", "Required", "default")

FIELDS = [(section.model, name, info) for section in sections()
          for name, info in section.model.model_fields.items()]


def _field_param(model, name, info):
    return pytest.param(model, name, info, id=f"{model.__name__}.{name}")


def test_the_reference_page_is_up_to_date():
    text = PAGE.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"{reference.FILE} lacks the markers {BEGIN} / {END}"
    assert replace_block(text, reference_markdown()) == text, (
        f"{reference.FILE}'s blueprint reference is stale: run `{COMMAND}`")


def test_the_page_holds_the_reference_and_nothing_else_generated():
    text = PAGE.read_text(encoding="utf-8")
    assert codes.BEGIN not in text and codes.END not in text
    assert COMMAND in text                    # the generated comment names the command that writes this page


def test_output_is_deterministic():
    assert reference_markdown() == reference_markdown()


def test_every_reachable_model_has_one_section():
    models = [s.model for s in sections()]
    assert models[0] is Blueprint
    assert len(models) == len(set(models))
    # Nested models include at least these, recursion (Unit) and shared shapes (Targets) included.
    names = {m.__name__ for m in models}
    assert {"Organization", "Unit", "Account", "Targets", "FederatedRole", "Key"} <= names


def test_recursive_and_shared_models_list_their_other_paths():
    by_name = {s.model.__name__: s for s in sections()}
    assert by_name["Unit"].path == "organization.units[]"
    assert by_name["Unit"].also == ["organization.units[].units[]"]
    assert "keys[].grants" in by_name["Targets"].also


@pytest.mark.parametrize(("model", "name", "info"), [_field_param(*f) for f in FIELDS])
def test_field_description_states_default_behaviour(model, name, info):
    description = (info.description or "").strip()
    assert description, f"{model.__name__}.{name} has no description"
    assert any(word in description for word in DEFAULT_WORDING), (
        f"{model.__name__}.{name}: description {description!r} does not say what happens when the key "
        f"is left out (write 'Required.' or 'Default: ...')")


def test_reference_mentions_every_field_key():
    markdown = reference_markdown()
    # Split into sections by their heading, then look for a table row per key.
    bodies = dict(re.findall(r"^### (.+?)\n(.*?)(?=^### |\Z)", markdown, flags=re.M | re.S))
    missing = []
    for section in sections():
        body = bodies.get(section.title)
        if body is None:
            missing.append(f"section {section.title}")
            continue
        for name, info in section.model.model_fields.items():
            if f"| `{field_key(name, info)}` |" not in body:
                missing.append(f"{section.title}: {field_key(name, info)}")
    assert not missing, f"keys missing from the reference: {missing}"


def test_aliases_are_used_as_keys():
    assert "| `lambda` |" in reference_markdown()
    assert "| `lambda_` |" not in reference_markdown()


def test_types_are_human_readable():
    markdown = reference_markdown()
    assert "| `engine` | `native` \\| `control-tower` | `native` |" in markdown
    assert "| `governed_regions` | list of string (region code, e.g. us-east-1) | required |" in markdown
    assert "| `units` | list of [Unit](#bp-organization-units) | `[]` |" in markdown
    assert "| `insights` | boolean | `false` |" in markdown


def test_check_fails_when_stale_and_write_fixes_it(tmp_path, capsys):
    stale = tmp_path / "page.md"
    stale.write_text(f"# Title\n\n{BEGIN}\nold text\n{END}\n\nafter\n", encoding="utf-8")
    assert reference.main(["--check", str(stale)]) == 1
    assert f"python -m landing_zone.blueprint.reference --write {stale}" in capsys.readouterr().err
    assert reference.main(["--write", str(stale)]) == 0
    assert reference.main(["--check", str(stale)]) == 0
    text = stale.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n") and text.endswith(f"{END}\n\nafter\n")
    assert "old text" not in text


def test_missing_markers_are_an_error(tmp_path, capsys):
    plain = tmp_path / "page.md"
    plain.write_text("# Title\n", encoding="utf-8")
    assert reference.main(["--check", str(plain)]) == 2
    assert "markers" in capsys.readouterr().err


def test_write_and_check_take_each_page(tmp_path, capsys):
    """`--write docs/blueprint-reference.md docs/issue-codes.md`: every page keeps the blocks it holds."""
    pages = [tmp_path / "reference.md", tmp_path / "codes.md"]
    pages[0].write_text(f"{BEGIN}\nold\n{END}\n", encoding="utf-8")
    pages[1].write_text(f"{codes.BEGIN}\nold\n{codes.END}\n", encoding="utf-8")
    assert reference.main(["--check", *map(str, pages)]) == 1
    assert reference.main(["--write", *map(str, pages)]) == 0
    assert reference.main(["--check", *map(str, pages)]) == 0
    assert "### Top level" in pages[0].read_text() and codes.BEGIN not in pages[0].read_text()
    assert '<a id="issue-codes">' in pages[1].read_text() and BEGIN not in pages[1].read_text()
