"""The retry policy: at most 3 automatic retries unless governance approved an override."""

DEFAULT_MAX_RETRIES = 3


def retry_limit(override_max_retries: int | None) -> int:
    """How many automatic retries a job gets: 3, or the approved override's max_retries."""
    if override_max_retries is None:
        return DEFAULT_MAX_RETRIES
    # An override only ever raises the cap (governance bounds it at 4..10).
    return max(DEFAULT_MAX_RETRIES, override_max_retries)


def may_retry(failed_attempt: int, limit: int) -> bool:
    """True while the retries used so far (attempts after the first) are below the limit."""
    return failed_attempt - 1 < limit
