"""In-process emulated cards for tests and benchmarks: a card thread inside the namespace."""

from __future__ import annotations

from dataclasses import dataclass

from tools.pcsc import netns, service
from vitale_ref.transport import CardHandler, VirtualCard, VpcdCardClient, wait_for_card
from vitale_ref.transport._test_card import LoopbackTestCard

READER = service.READERS[0]


@dataclass(frozen=True)
class Pcscd:
    """A running pcscd and where its files are."""

    layout: service.Layout
    pid: int


@dataclass
class EmulatedCard:
    """A card handler served over vpcd by a thread of this process."""

    card: LoopbackTestCard
    client: VpcdCardClient

    def stop(self) -> None:
        """Take the card away and wait until pcscd has noticed."""
        self.client.stop()
        wait_for_card(READER, 3.0, present=False)


def start_card(
    layout: service.Layout,
    *,
    quickack: bool = True,
    handler: CardHandler | None = None,
) -> EmulatedCard:
    """Connect a card to vpcd from inside the namespace; return once pcscd sees it."""
    card = LoopbackTestCard()
    connector = netns.connector(layout.netns, "127.0.0.1", service.VPCD_PORT)
    client = VpcdCardClient(
        VirtualCard(handler or card), connector, quickack=quickack, status=lambda _m: None
    ).start()
    if not wait_for_card(READER, 5.0):
        client.stop()
        raise service.ServiceError("pcscd did not see the emulated card within 5 s")
    return EmulatedCard(card, client)
