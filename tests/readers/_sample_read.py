"""What `vitale read` prints for the sample holder, computed by a read in memory."""

from __future__ import annotations

from datetime import timedelta

from vitale_ref.cli._verified import verified_lines
from vitale_ref.holder import PRESENCE_WINDOW_SECONDS
from vitale_ref.holder.samples import sample_world
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import run_read


def sample_read_lines(requested: list[int]) -> list[str]:
    """The verified lines of the same read made in memory (the sample data may evolve);
    a holder of another implementation provisioned with the typical credential
    (vectors/credential/typical.json, VDC-HARN-010) must give the same."""
    world = sample_world()
    holder = world.holder()
    holder.arm(world.now + timedelta(seconds=PRESENCE_WINDOW_SECONDS))
    result = run_read(
        InMemoryLink(holder, world.now).transmit,
        identity=world.reader("doctor"),
        requested=requested,
        verifier=world.verifier,
        random=seeded_random("tests/readers/expected"),
        now=world.now,
    )
    return verified_lines(result.elements)
