"""The bounded backlog: what waits, what gives way when full, and that every eviction is reported."""

from __future__ import annotations

import pytest

from litcode.callbacks.upload.backlog import UploadBacklog
from litcode.callbacks.upload.journal import PendingUpload


def save(name: str, sequence: int) -> PendingUpload:
    return PendingUpload(
        name, f"/staging/{sequence}", f"/ckpt/{name}", step=sequence, epoch=0, sequence=sequence
    )


def test_backlog_keeps_save_order() -> None:
    backlog = UploadBacklog(max_size=4)
    for sequence, name in enumerate(["b.ckpt", "a.ckpt", "c.ckpt"]):
        backlog.add(save(name, sequence))
    assert [upload.name for upload in backlog] == ["b.ckpt", "a.ckpt", "c.ckpt"]


def test_newer_save_of_same_name_supersedes_queued_one() -> None:
    backlog = UploadBacklog(max_size=4)
    backlog.add(save("last.ckpt", 0))
    evicted = backlog.add(save("last.ckpt", 1))
    assert [(e.upload.sequence, "superseded" in e.reason) for e in evicted] == [(0, True)]
    assert [upload.sequence for upload in backlog] == [1]


def test_full_backlog_defers_the_oldest_non_last_save_instead_of_dropping_it() -> None:
    """Issue 13 defect 6: a full backlog used to evict a top-k save without journaling it."""
    backlog = UploadBacklog(max_size=2)
    backlog.add(save("last.ckpt", 0))
    backlog.add(save("step=1.ckpt", 1))
    evicted = backlog.add(save("step=2.ckpt", 2))
    assert evicted == []
    assert [upload.name for upload in backlog.deferred] == ["step=1.ckpt"]
    assert backlog.deferred[0].state == "deferred"
    assert {upload.name for upload in backlog} == {"last.ckpt", "step=1.ckpt", "step=2.ckpt"}


def test_full_backlog_of_last_saves_defers_the_oldest() -> None:
    backlog = UploadBacklog(max_size=1)
    backlog.add(save("last.ckpt", 0))
    assert backlog.add(save("last-v1.ckpt", 1)) == []
    assert [upload.name for upload in backlog.deferred] == ["last.ckpt"]


def test_deferred_save_is_queued_again_once_the_queue_has_room() -> None:
    backlog = UploadBacklog(max_size=1)
    backlog.add(save("step=1.ckpt", 0))
    backlog.add(save("step=2.ckpt", 1))
    first = backlog.take(set())
    second = backlog.take(set())
    assert first is not None and second is not None
    assert {first.name, second.name} == {"step=1.ckpt", "step=2.ckpt"}
    assert len(backlog) == 0


def test_put_back_is_dropped_when_newer_save_of_same_name_is_queued() -> None:
    backlog = UploadBacklog(max_size=4)
    in_flight = save("last.ckpt", 0)
    backlog.add(save("last.ckpt", 1))
    evicted = backlog.put_back(in_flight)
    assert [e.upload.sequence for e in evicted] == [0]
    assert [upload.sequence for upload in backlog] == [1]


def test_put_back_returns_upload_to_its_place_in_save_order() -> None:
    backlog = UploadBacklog(max_size=4)
    backlog.add(save("b.ckpt", 2))
    assert backlog.put_back(save("a.ckpt", 1)) == []
    assert [upload.name for upload in backlog] == ["a.ckpt", "b.ckpt"]


def test_take_skips_names_being_uploaded() -> None:
    backlog = UploadBacklog(max_size=4)
    backlog.add(save("last.ckpt", 0))
    backlog.add(save("step=1.ckpt", 1))
    taken = backlog.take(busy_names={"last.ckpt"})
    assert taken is not None and taken.name == "step=1.ckpt"
    assert backlog.take(busy_names={"last.ckpt"}) is None


def test_remove_takes_every_queued_upload_of_a_name() -> None:
    backlog = UploadBacklog(max_size=4)
    backlog.add(save("step=1.ckpt", 0))
    backlog.add(save("step=2.ckpt", 1))
    assert [upload.sequence for upload in backlog.remove("step=1.ckpt")] == [0]
    assert len(backlog) == 1


def test_backlog_rejects_non_positive_size() -> None:
    with pytest.raises(ValueError, match="max_size"):
        UploadBacklog(max_size=0)
