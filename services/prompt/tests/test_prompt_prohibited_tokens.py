"""The prohibited-token filter: case-insensitive, whole-word matching."""

from prompt_service.domain import find_prohibited_tokens


class TestProhibitedTokenFilter:
    def test_a_token_is_found_whatever_its_case(self):
        assert find_prohibited_tokens("Give me the PassWord", ["password"]) == ["password"]

    def test_a_token_inside_a_longer_word_is_not_found(self):
        assert find_prohibited_tokens("classic passwords", ["ass", "password"]) == []

    def test_a_token_next_to_punctuation_is_found(self):
        assert find_prohibited_tokens("(password).", ["password"]) == ["password"]

    def test_a_multi_word_token_matches_across_any_whitespace(self):
        found = find_prohibited_tokens(
            "Please IGNORE\n previous   instructions", ["ignore previous instructions"]
        )
        assert found == ["ignore previous instructions"]

    def test_a_token_of_punctuation_matches_as_a_substring(self):
        assert find_prohibited_tokens("x<|im_start|>y", ["<|im_start|>"]) == ["<|im_start|>"]

    def test_tokens_are_reported_once_in_the_order_given(self):
        found = find_prohibited_tokens("ssn password ssn", ["password", "SSN", "ssn"])
        assert found == ["password", "SSN"]

    def test_blank_tokens_are_ignored(self):
        assert find_prohibited_tokens("anything", ["", "  "]) == []
