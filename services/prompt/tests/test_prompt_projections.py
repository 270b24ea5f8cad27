"""The prompt read models as its typed projectors write them, in a real PostgreSQL."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg

from llmops_events import prompt as contracts
from llmops_events.governance import ProhibitedTokensPublished
from llmops_runtime.projections.projector import envelope_of
from prompt_service.projections import projections

AT = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


async def test_templates_labels_experiments_and_tokens_are_projected(
    database_url: str, unique_name: str
) -> None:
    own, governance = projections()
    template_id, label_id, experiment_id, policy_id = uuid4(), uuid4(), uuid4(), uuid4()
    stats = {"count": 3, "mean": 1.0, "variance": 0.5}
    variant = contracts.VariantStatistics.model_validate(stats)
    conn = await asyncpg.connect(database_url)
    try:
        for projection in (own, governance):
            await projection.create_tables(conn, unique_name)
        await own.apply_batch(conn, unique_name, [  # type: ignore[misc]
            envelope_of(contracts.PromptTemplateRegistered(
                prompt_template_id=template_id, name="greet", version="1", language="en",
                content="hi", context_tags=["x"], registered_by="ana"), 1, AT),
            envelope_of(contracts.PromptTemplateWentLive(
                prompt_template_id=template_id, name="greet", version="1",
                checked_token_count=0, published_by="ana"), 2, AT),
            envelope_of(contracts.PromptLabelAssigned(
                prompt_label_id=label_id, name="greet", label="prod",
                prompt_template_id=template_id, assigned_by="bob"), 3, AT),
            envelope_of(contracts.PromptExperimentStarted(
                prompt_experiment_id=experiment_id, name="e", template_a_id=template_id,
                template_b_id=template_id, allocation={"a": 50, "b": 50}, metric="CSAT",
                start_at=AT, end_at=None, min_traffic_per_variant=3,
                statistical_test="welch_t_test", alpha=0.05, started_by="cy"), 4, AT),
            *[envelope_of(contracts.PromptExperimentObservationsRecorded(
                prompt_experiment_id=experiment_id, variant="b", count=3, mean=1.0, m2=1.0),
                5 + i, AT) for i in range(2)],
            envelope_of(contracts.PromptExperimentConcluded(
                prompt_experiment_id=experiment_id, outcome="no_significant_difference",
                winner_variant=None, winner_template_id=None, stop_condition="min_traffic",
                statistical_test="welch_t_test", alpha=0.05, t_statistic=0.1,
                degrees_of_freedom=4.0, p_value=0.9, variants={"a": variant, "b": variant},
                concluded_by="cy"), 7, AT),
        ])  # fmt: skip
        await governance.apply_batch(conn, unique_name, [  # type: ignore[misc]
            envelope_of(ProhibitedTokensPublished(
                policy_id=policy_id, policy_name="p", tokens=["a"], published_by="g"), 1, AT),
            envelope_of(ProhibitedTokensPublished(
                policy_id=policy_id, policy_name="p", tokens=["b"], published_by="g"), 2, AT),
        ])  # fmt: skip
        template = await conn.fetchrow(f"SELECT * FROM {unique_name}.prompt_templates")
        assert template is not None
        assert (template["status"], json.loads(template["context_tags"])) == ("live", ["x"])
        label = await conn.fetchval(f"SELECT prompt_template_id FROM {unique_name}.prompt_labels")
        assert label == template_id
        experiment = await conn.fetchrow(f"SELECT * FROM {unique_name}.prompt_experiments")
        assert experiment is not None
        assert json.loads(experiment["observation_counts"]) == {"a": 0, "b": 6}
        assert experiment["status"] == "concluded"
        assert json.loads(experiment["conclusion"])["variants"]["b"] == stats
        tokens = await conn.fetch(f"SELECT tokens FROM {unique_name}.governance_prohibited_tokens")
        assert [json.loads(r["tokens"]) for r in tokens] == [["b"]]
    finally:
        await conn.execute(f"DROP SCHEMA {unique_name} CASCADE")
        await conn.close()
