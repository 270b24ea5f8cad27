"""Each service's contracts module says which of its events are published and which internal."""

from llmops_events import catalog, dataset, governance, prompt


def test_published_events_are_declared_events_and_internal_ones_are_not_published():
    for module in (catalog, dataset, governance, prompt):
        internal = set(getattr(module, "INTERNAL", ()))
        assert set(module.PUBLISHED) <= set(module.EVENTS), module.__name__
        assert set(module.PUBLISHED) | internal == set(module.EVENTS), module.__name__
        assert not set(module.PUBLISHED) & internal, module.__name__


def test_the_internal_events_are_the_series_and_evaluation_recorded():
    assert {e.WIRE_NAME for e in dataset.INTERNAL} == {
        "dataset.series.started",
        "dataset.series.version_added",
    }
    assert {e.WIRE_NAME for e in catalog.INTERNAL} == {"catalog.model_version.evaluation_recorded"}
    assert {e.WIRE_NAME for e in governance.INTERNAL} == {"governance.role_binding.regranted"}


def test_every_service_event_and_command_starts_with_its_service_name():
    modules = ((catalog, "catalog"), (dataset, "dataset"), (governance, "governance"))
    for module, service in (*modules, (prompt, "prompt")):
        assert all(e.WIRE_NAME.startswith(f"{service}.") for e in module.EVENTS)
        assert all(c.WIRE_NAME.startswith(f"{service}.") for c in getattr(module, "COMMANDS", ()))
