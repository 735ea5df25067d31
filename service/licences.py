"""Licences from the DCAT-AP.de licence list (http://dcat-ap.de/def/licenses) we can publish
under, with their names and the pages that explain them."""

from __future__ import annotations

from dataclasses import dataclass

LIST = "http://dcat-ap.de/def/licenses"


@dataclass(frozen=True)
class Licence:
    iri: str
    name: str
    """The German name, as the licence list gives it."""
    url: str
    needs_attribution: bool
    name_en: str = ""

    def name_in(self, language: str) -> str:
        """The licence's name for a reader of that language."""
        return self.name_en if language == "en" and self.name_en else self.name


LICENCES: dict[str, Licence] = {
    licence.iri: licence
    for licence in (
        Licence(
            f"{LIST}/cc-by/4.0",
            "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/",
            True,
            "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        ),
        Licence(
            f"{LIST}/cc-by-sa/4.0",
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 "
            "International (CC BY-SA 4.0)",
            "https://creativecommons.org/licenses/by-sa/4.0/",
            True,
            "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
        ),
        Licence(
            f"{LIST}/cc-zero",
            "Creative Commons CC Zero License (CC0 1.0)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            False,
        ),
        Licence(
            f"{LIST}/dl-by-de/2.0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
            True,
            "Data licence Germany – attribution – version 2.0",
        ),
        Licence(
            f"{LIST}/dl-zero-de/2.0",
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
            False,
            "Data licence Germany – Zero – version 2.0",
        ),
        Licence(
            f"{LIST}/odbl",
            "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/1-0/",
            True,
        ),
    )
}


def licence(iri: str) -> Licence:
    """Return the licence with that IRI; raise ValueError for one we do not know."""
    try:
        return LICENCES[iri]
    except KeyError:
        known = ", ".join(sorted(LICENCES))
        raise ValueError(f"unknown licence {iri!r}; use one of {known}") from None
