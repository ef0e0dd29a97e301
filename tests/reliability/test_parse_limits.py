"""Case 31: a parse over the memory limit is stopped, with the plain 'too complex' line."""

from __future__ import annotations

import pytest

from reliability.live import big_minutes
from tracker.errors import BadInput
from tracker.services.parsing import parse_in_worker


@pytest.mark.parametrize("memory_mb", [60, 100])
def test_a_parse_over_the_memory_limit_is_too_complex_not_damaged(memory_mb: int) -> None:
    """30,000 statements need more memory than the cap: 'too complex', never 'damaged'."""
    data = big_minutes(
        "PD Clinical Reference Group minutes", "18 March 2021", paragraphs=30000, seed=3
    )
    with pytest.raises(BadInput) as refused:
        parse_in_worker(
            data, "m.docx", roster=(), max_bytes=10_000_000, timeout=120, memory_mb=memory_mb
        )
    message = refused.value.message
    assert "too complex" in message and "damaged" not in message, message
    assert "Traceback" not in message and "\n" not in message


def test_the_same_file_is_read_under_the_normal_limit() -> None:
    """With the default 512 MB cap the same minutes are read to the end: what stops
    them then is the record cap of one set of minutes (5,000), said plainly."""
    data = big_minutes(
        "PD Clinical Reference Group minutes", "18 March 2021", paragraphs=30000, seed=3
    )
    with pytest.raises(BadInput) as refused:
        parse_in_worker(data, "m.docx", roster=(), max_bytes=10_000_000, timeout=120)
    message = refused.value.message
    assert "30,604 records, more than the 5,000" in message, message
    assert "too complex" not in message and "damaged" not in message
