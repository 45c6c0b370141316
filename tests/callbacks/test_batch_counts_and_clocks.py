"""How a step's samples and tokens are counted from a batch, and the two host stopwatches (fake clocks)."""

from __future__ import annotations

from collections import UserList

import pytest
import torch

from litcode.callbacks.throughput import ActiveClock, DataWaitClock, default_batch_size, default_token_count


class Clock:
    """A hand-moved clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("batch", "size"),
    [
        (torch.zeros(6, 3), 6),
        ((torch.zeros(5, 2), torch.zeros(5)), 5),
        ([torch.zeros(4, 2), torch.zeros(9)], 4),
        ({"meta": "x", "input_ids": torch.zeros(3, 8)}, 3),
        ({"nested": {"input_ids": torch.zeros(2, 8)}}, 2),
        (("name", torch.zeros(7, 1)), 7),  # a tuple whose first item is no tensor is searched
        (UserList([None, torch.zeros(8)]), 8),  # any sequence, not only lists and tuples
        ([[], [torch.zeros(11, 1)]], 11),
    ],
)
def test_batch_size_is_the_leading_dimension_of_the_first_tensor_found(batch, size):
    assert default_batch_size(batch) == size


@pytest.mark.parametrize("batch", [torch.tensor(3.0), [], (), {}, "text", None, ["a", "b"], {"k": [1, 2]}])
def test_batch_without_a_sized_tensor_has_no_batch_size(batch):
    assert default_batch_size(batch) is None


def test_tokens_are_the_attention_mask_sum_kept_on_the_device():
    mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
    tokens = default_token_count({"input_ids": torch.zeros(2, 3), "attention_mask": mask})
    assert isinstance(tokens, torch.Tensor) and int(tokens) == 3


def test_tokens_without_a_mask_are_every_input_id():
    assert default_token_count({"input_ids": torch.zeros(2, 5), "attention_mask": None}) == 10


@pytest.mark.parametrize(
    "batch",
    [
        (torch.zeros(2, 5),),
        [torch.zeros(2, 5)],
        torch.zeros(2, 5),
        {"input_ids": [[1, 2]]},
        {"labels": torch.zeros(2, 5)},
    ],
)
def test_batches_without_input_ids_or_a_mask_have_no_token_count(batch):
    assert default_token_count(batch) is None


def test_active_clock_counts_only_running_time_and_restarts_at_each_lap():
    clock = Clock()
    active = ActiveClock(clock)
    assert not active.running
    active.start()
    clock.now += 2.0
    active.start()  # already running: keeps the first start
    clock.now += 1.0
    assert active.running
    active.pause()
    assert not active.running
    clock.now += 50.0  # paused: not counted
    active.pause()  # already paused: nothing more banked
    active.start()
    clock.now += 0.5
    active.pause()  # a second pause adds to what the first banked
    active.start()
    clock.now += 0.5
    assert active.lap() == 4.0
    clock.now += 0.25
    assert active.lap() == 0.25  # still running after a lap, counted from it


def test_a_paused_active_clock_laps_what_it_banked_then_nothing():
    clock = Clock()
    active = ActiveClock(clock)
    active.start()
    clock.now += 4.0
    active.pause()
    clock.now += 9.0
    assert active.lap() == 4.0
    assert not active.running
    assert active.lap() == 0.0


def test_data_wait_is_the_gaps_between_batches_summed_until_the_lap():
    clock = Clock()
    wait = DataWaitClock(clock)
    wait.batch_started()  # no batch ended before the first: no gap
    clock.now += 1.0
    wait.batch_ended()
    clock.now += 0.5
    wait.batch_started()
    clock.now += 3.0  # training, not waiting
    wait.batch_started()  # a second start without an end adds nothing
    wait.batch_ended()
    clock.now += 0.25
    wait.batch_started()
    assert wait.lap() == 0.75
    assert wait.lap() == 0.0


def test_a_pause_drops_the_open_data_wait_gap():
    clock = Clock()
    wait = DataWaitClock(clock)
    wait.batch_ended()
    clock.now += 10.0  # validation runs here
    wait.pause()
    wait.batch_started()
    assert wait.lap() == 0.0
