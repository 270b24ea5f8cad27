"""Prompt template versions: fields, the prohibited-token gate and the status life."""

import pytest

from llmops_domain.errors import InvalidTransition, ValidationFailed
from prompt_service.domain import ProhibitedTokens, PromptTemplate


class TestRegistration:
    def test_a_template_version_is_registered_as_a_draft(self, draft):
        assert draft.status == "draft"
        assert (draft.name, draft.version_label, draft.language) == ("support-reply", "1", "en")
        assert draft.context_tags == ["support", "email"]

    def test_the_id_is_derived_from_name_and_version(self, draft):
        assert draft.id == PromptTemplate.id_for("support-reply", "1")

    def test_empty_content_is_refused(self, make_template):
        with pytest.raises(ValidationFailed) as refused:
            make_template(content="  ")
        assert "content" in refused.value.field_errors

    @pytest.mark.parametrize("language", ["", "english", "e", "en_US"])
    def test_a_language_that_is_not_a_language_tag_is_refused(self, make_template, language):
        with pytest.raises(ValidationFailed) as refused:
            make_template(language=language)
        assert "language" in refused.value.field_errors

    @pytest.mark.parametrize("language", ["en", "pt-BR", "zh-Hant-TW"])
    def test_a_language_tag_is_accepted(self, make_template, language):
        assert make_template(language=language).language == language

    def test_a_blank_context_tag_is_refused(self, make_template):
        with pytest.raises(ValidationFailed) as refused:
            make_template(context_tags=["support", " "])
        assert "context_tags" in refused.value.field_errors

    def test_repeated_context_tags_are_kept_once(self, make_template):
        assert make_template(context_tags=["a", "a", "b"]).context_tags == ["a", "b"]

    @pytest.mark.parametrize("version", ["", "1|2"])
    def test_a_malformed_version_is_refused(self, make_template, version):
        with pytest.raises(ValidationFailed):
            make_template(version=version)

    def test_a_blank_name_is_refused(self, make_template):
        with pytest.raises(ValidationFailed):
            make_template(name=" ")


class TestGoingLive:
    def test_content_without_prohibited_tokens_goes_live(self, draft):
        draft.go_live(actor="paula", prohibited_tokens=["password", "ssn"])
        assert draft.status == "live"

    def test_content_with_a_prohibited_token_is_refused_naming_it(self, make_template):
        template = make_template(content="Ask the customer for their Password and SSN.")
        with pytest.raises(ProhibitedTokens) as refused:
            template.go_live(actor="paula", prohibited_tokens=["ssn", "password", "iban"])
        assert refused.value.code == "prohibited_tokens"
        assert refused.value.tokens == ["ssn", "password"]
        assert "password" in refused.value.field_errors["content"]
        assert template.status == "draft"

    def test_a_refused_draft_can_be_revised_and_then_go_live(self, make_template):
        template = make_template(content="Tell me your password.")
        with pytest.raises(ProhibitedTokens):
            template.go_live(actor="paula", prohibited_tokens=["password"])
        template.revise(content="How can I help?", context_tags=None, actor="paula")
        template.go_live(actor="paula", prohibited_tokens=["password"])
        assert template.status == "live"

    def test_a_live_template_cannot_go_live_again(self, live):
        with pytest.raises(InvalidTransition):
            live.go_live(actor="paula", prohibited_tokens=[])

    def test_a_retired_template_cannot_go_live(self, draft):
        draft.retire(actor="paula", reason="abandoned")
        with pytest.raises(InvalidTransition):
            draft.go_live(actor="paula", prohibited_tokens=[])


class TestRevision:
    def test_a_draft_is_revised(self, draft):
        draft.revise(content="New text", context_tags=["chat"], actor="paula")
        assert (draft.content, draft.context_tags) == ("New text", ["chat"])

    def test_a_revision_without_tags_keeps_the_tags(self, draft):
        draft.revise(content="New text", context_tags=None, actor="paula")
        assert draft.context_tags == ["support", "email"]

    def test_a_live_template_is_immutable(self, live):
        with pytest.raises(InvalidTransition):
            live.revise(content="changed", context_tags=None, actor="paula")

    def test_a_revision_to_empty_content_is_refused(self, draft):
        with pytest.raises(ValidationFailed):
            draft.revise(content="", context_tags=None, actor="paula")


class TestRetirement:
    def test_a_live_template_is_retired(self, live):
        live.retire(actor="paula", reason="replaced by v2")
        assert live.status == "retired"

    def test_a_draft_is_retired(self, draft):
        draft.retire(actor="paula", reason="abandoned")
        assert draft.status == "retired"

    def test_a_retired_template_cannot_be_retired_again(self, live):
        live.retire(actor="paula", reason="replaced")
        with pytest.raises(InvalidTransition):
            live.retire(actor="paula", reason="again")

    def test_retirement_without_a_reason_is_refused(self, live):
        with pytest.raises(ValidationFailed):
            live.retire(actor="paula", reason="")
