"""Chat reads whose cost matters: what a reconnecting socket is sent."""

from __future__ import annotations

import pytest

from chat.models import Alternative, Conversation
from chat.selectors import messages_for_resume
from chat.services import exchange_append

pytestmark = pytest.mark.django_db


def test_resume_digest_covers_only_the_window_the_client_holds(
    conversation: Conversation,
) -> None:
    """A page holds a long chat's newest messages: the digest (and the
    reading behind it) covers those, not the whole chat; a reply still being
    written before the window is sent all the same."""
    for i in range(30):
        exchange_append(conversation=conversation, user_text=f"Q{i}", reply_text="A")
    Alternative.objects.filter(
        message__conversation=conversation, message__seq=3
    ).update(status="streaming")
    new, live, digest = messages_for_resume(
        conversation=conversation, after_seq=55, from_seq=50
    )
    assert [seq for _, seq, _ in digest] == list(range(50, 56))
    assert [m.seq for m in new] == list(range(56, 62))
    assert [m.seq for m in live] == [3]
    # Without a window: every message up to after_seq, as before.
    _, live, digest = messages_for_resume(conversation=conversation, after_seq=55)
    assert len(digest) == 55 and [m.seq for m in live] == [3]
