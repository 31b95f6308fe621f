"""Partners named in prose after collaboration cues."""

from __future__ import annotations

import pytest

from esfparse.extract.organisations import find_partner_mentions
from esfparse.extract.places import resolve_municipality


def names(text: str) -> list[str]:
    return [
        n
        for n, _, _ in find_partner_mentions(
            text, is_place=lambda n: resolve_municipality(n) is not None
        )
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            "Arbetet sker i samverkan med Skatteverket, Region Halland och Malmö universitet, som utvärderar.",
            ["Skatteverket", "Region Halland", "Malmö universitet"],
            id="lowercase-head-universitet",
        ),
        pytest.param(
            "Vi arbetar tillsammans med flera företag, bland annat Bygg & Montage AB och Åkeri Nord AB, "
            "samt Byggnads förbund.",
            ["Bygg & Montage AB", "Åkeri Nord AB", "Byggnads förbund"],
            id="filler-and-samt",
        ),
        pytest.param(
            "Projektet bygger på samverkan mellan projektägaren, Uppsala kommun och Försäkringskassan kring "
            "målgruppen.",
            ["Försäkringskassan"],
            id="municipality-goes-to-places",
        ),
        pytest.param(
            "I detta projekt med Volvo, Scania och Sandvik genomförs utbildningar.",
            ["Volvo", "Scania", "Sandvik"],
            id="i-detta-projekt-med",
        ),
        pytest.param(
            "Samarbetet mellan kommunerna och arbetsförmedlingen har stärkts.",
            [],
            id="lowercase-only",
        ),
        pytest.param("Deltagarna får stöd av coacher och handledare.", [], id="no-cue"),
    ],
)
def test_partner_mentions(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_spans_point_at_names() -> None:
    text = "Det sker i samverkan med Skatteverket och Lunds universitet."
    for name, start, end in find_partner_mentions(text, base=100):
        assert text[start - 100 : end - 100] == name
