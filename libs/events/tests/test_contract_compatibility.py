"""Which schema changes break a consumer, and which do not."""

from typing import Literal

from pydantic import BaseModel

from llmops_events.compatibility import breaking_changes


class Old(BaseModel):
    name: str
    count: int
    kind: Literal["a", "b"]


def _schema(model: type[BaseModel]) -> dict[str, object]:
    return model.model_json_schema()


class TestBreakingChanges:
    def test_identical_schemas_are_compatible(self):
        assert breaking_changes(_schema(Old), _schema(Old)) == []

    def test_a_new_optional_field_is_compatible(self):
        class New(Old):
            note: str | None = None

        assert breaking_changes(_schema(Old), _schema(New)) == []

    def test_a_changed_description_is_compatible(self):
        new = _schema(Old)
        new["properties"]["name"]["description"] = "explained"  # type: ignore[index]
        assert breaking_changes(_schema(Old), new) == []

    def test_a_removed_field_breaks(self):
        class New(BaseModel):
            name: str
            kind: Literal["a", "b"]

        assert breaking_changes(_schema(Old), _schema(New)) == ["$.count: field removed"]

    def test_a_retyped_field_breaks(self):
        class New(BaseModel):
            name: str
            count: str
            kind: Literal["a", "b"]

        assert breaking_changes(_schema(Old), _schema(New)) == ["$.count: field retyped"]

    def test_a_changed_literal_breaks(self):
        class New(BaseModel):
            name: str
            count: int
            kind: Literal["a", "b", "c"]

        assert breaking_changes(_schema(Old), _schema(New)) == ["$.kind: field retyped"]

    def test_a_new_required_field_breaks(self):
        class New(Old):
            owner: str

        assert breaking_changes(_schema(Old), _schema(New)) == ["$.owner: field became required"]

    def test_a_field_removed_from_a_nested_definition_breaks(self):
        class Inner(BaseModel):
            x: int
            y: int

        class Outer(BaseModel):
            inner: Inner

        old = _schema(Outer)
        new = _schema(Outer)
        del new["$defs"]["Inner"]["properties"]["y"]  # type: ignore[index]
        assert breaking_changes(old, new) == ["$defs.Inner.y: field removed"]
