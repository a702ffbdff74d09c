"""The time zones of a country, from the IANA database's own table (tzdata's zone.tab): a clinic's
country suggests its zone, and one with a single zone needs no choosing."""

from functools import cache
from importlib import resources


@cache
def zones_by_country() -> dict[str, list[str]]:
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_comment = line.split("\t")
            zones.setdefault(country, []).append(zone)
    return zones


def zones_of(country: str) -> list[str]:
    return zones_by_country().get(country, [])


def zone_suggested_for(country: str) -> str | None:
    """The country's zone when it has only one; a country of several zones must be asked."""
    zones = zones_of(country)
    return zones[0] if len(zones) == 1 else None
