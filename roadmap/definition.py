"""The Roadmap as data: load and validate the versioned YAML file that trainers edit.

The file, not the code, holds the levensdomeinen, werkingsprincipes, groeithema's, their stellingen
and the scale, so that EXPOO trainers can change wording without a programmer. A mistake in the
file is reported in Dutch with the line and the field, because the person who made it is not a
programmer.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from hvhk.base.errors import GebruikersFout

BUNDLED = files("roadmap") / "data" / "roadmap.yaml"

Slug = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$", min_length=1)
Soort = Literal["levensdomein", "werkingsprincipe", "groeithema"]


class _LocatedError(ValueError):
    """A check across the whole file that knows which field it is about, for the line number."""

    def __init__(self, loc: tuple, message: str):
        super().__init__(message)
        self.loc = loc


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice: otherwise the last silently wins."""

    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"het veld '{key}' staat er twee keer", key_node.start_mark
                )
            keys.add(key)
        return super().construct_mapping(node, deep)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Niveau(_Strict):
    waarde: int
    label: str = Field(min_length=1)
    beschrijving: str = Field(min_length=1)


class Schaal(_Strict):
    """The answer scale, which the store, the import and the check all read from here.

    Niveaus and belang count up from 1 without gaps. At most nine niveaus, so that a level is one
    digit: `roadmap.aggregate` reads every answer of the store as one character.
    """

    niveaus: list[Niveau] = Field(min_length=2, max_length=9)
    weet_niet: str = Field(min_length=1)
    niet_van_toepassing: str = Field(min_length=1)
    belang: dict[int, str] = Field(min_length=2)

    @model_validator(mode="after")
    def _levels_and_belang_count_from_one(self) -> Schaal:
        for index, niveau in enumerate(self.niveaus):
            if niveau.waarde != index + 1:
                raise _LocatedError(
                    ("schaal", "niveaus", index, "waarde"),
                    f"hier hoort waarde {index + 1} (de niveaus tellen op vanaf 1, zonder sprong)",
                )
        if sorted(self.belang) != list(self.belang_waarden):
            raise ValueError(
                f"de waarden van belang tellen op vanaf 1, zonder sprong (nu: {', '.join(map(str, sorted(self.belang)))})"
            )
        return self

    @property
    def niveau_waarden(self) -> range:
        return range(1, len(self.niveaus) + 1)

    @property
    def belang_waarden(self) -> range:
        return range(1, len(self.belang) + 1)

    @property
    def hoogste(self) -> int:
        """The top niveau: what priorities aim at and where the charts' level axes end."""
        return len(self.niveaus)

    @property
    def laag(self) -> range:
        """The lower half of the niveaus: the camp that does not see it happen yet.

        With `hoog` this is the one split of the scale into two camps (`analysis.onenigheid`). On an
        odd number of niveaus the middle one belongs to neither camp: a partner there is undecided,
        and counting them on one side would make a split out of a group that only leans that way.
        Four niveaus split 1-2 / 3-4, five split 1-2 / 4-5 with 3 in neither.
        """
        return range(1, len(self.niveaus) // 2 + 1)

    @property
    def hoog(self) -> range:
        """The upper half of the niveaus: the camp that sees it established (see `laag`)."""
        return range(len(self.niveaus) - len(self.niveaus) // 2 + 1, len(self.niveaus) + 1)

    @property
    def midden(self) -> int | None:
        """The middle niveau of an odd scale, in neither camp (see `laag`); None on an even scale."""
        return len(self.niveaus) // 2 + 1 if len(self.niveaus) % 2 else None

    @property
    def antwoorden(self) -> dict[str, tuple[str, int | None]]:
        """The answers a partner can give to a stelling, as shown in lists: label -> (keuze, niveau)."""
        options: dict[str, tuple[str, int | None]] = {
            f"{n.waarde} – {n.label}": ("niveau", n.waarde) for n in self.niveaus
        }
        options[self.weet_niet] = ("weet_niet", None)
        options[self.niet_van_toepassing] = ("niet_van_toepassing", None)
        return options

    @property
    def belangen(self) -> dict[str, int]:
        """The belang options as shown in lists: label -> value."""
        return {f"{waarde} – {label}": waarde for waarde, label in sorted(self.belang.items())}


class Pijler(_Strict):
    id: str = Slug
    naam: str = Field(min_length=1)


class Stelling(_Strict):
    id: str = Slug
    tekst: str = Field(min_length=1)
    pijlers: list[str] = []


class Onderdeel(_Strict):
    """A levensdomein, werkingsprincipe or groeithema: a named group of stellingen."""

    id: str = Slug
    naam: str = Field(min_length=1)
    beschrijving: str = Field(min_length=1)
    stellingen: list[Stelling] = Field(min_length=1)


class Levensdomein(Onderdeel):
    meerwaarde: str = Field(min_length=1)


class Roadmap(_Strict):
    versie: str = Field(min_length=1)
    titel: str = Field(min_length=1)
    schaal: Schaal
    pijlers: list[Pijler] = Field(min_length=1)
    levensdomeinen: list[Levensdomein] = Field(min_length=1)
    werkingsprincipes: list[Onderdeel] = Field(min_length=1)
    groeithemas: list[Onderdeel] = []
    _yaml: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _ids_unique_and_pillars_known(self) -> Roadmap:
        seen: set[str] = set()
        known = {p.id for p in self.pijlers}
        for soort in ("levensdomeinen", "werkingsprincipes", "groeithemas"):
            for i, onderdeel in enumerate(getattr(self, soort)):
                if onderdeel.id in seen:
                    raise _LocatedError((soort, i, "id"), f"de id '{onderdeel.id}' komt meer dan eens voor")
                seen.add(onderdeel.id)
                for j, stelling in enumerate(onderdeel.stellingen):
                    where = (soort, i, "stellingen", j)
                    if stelling.id in seen:
                        raise _LocatedError((*where, "id"), f"de id '{stelling.id}' komt meer dan eens voor")
                    seen.add(stelling.id)
                    unknown = set(stelling.pijlers) - known
                    if unknown:
                        raise _LocatedError(
                            (*where, "pijlers"),
                            f"stelling '{stelling.id}' noemt een onbekende pijler: {', '.join(sorted(unknown))}",
                        )
        return self

    @property
    def yaml(self) -> str:
        """The file's text as loaded: the store keeps it so that old rounds stay readable."""
        return self._yaml

    @property
    def groepen(self) -> list[tuple[Soort, list[Onderdeel]]]:
        """The three kinds of onderdeel, each with its soort, in the file's order."""
        return [
            ("levensdomein", self.levensdomeinen),
            ("werkingsprincipe", self.werkingsprincipes),
            ("groeithema", self.groeithemas),
        ]

    @property
    def onderdelen(self) -> list[Onderdeel]:
        return [onderdeel for _, groep in self.groepen for onderdeel in groep]

    @functools.cached_property
    def stelling_ids(self) -> frozenset[str]:
        """Every stelling's id, to check an answer against: `stellingen` builds a frame at each look."""
        return frozenset(stelling.id for onderdeel in self.onderdelen for stelling in onderdeel.stellingen)

    @property
    def stellingen(self) -> pd.DataFrame:
        """One row per stelling with the onderdeel it belongs to: the frame analyses join on."""
        rows = [
            {
                "stelling_id": s.id,
                "tekst": s.tekst,
                "onderdeel_id": o.id,
                "onderdeel": o.naam,
                "soort": soort,
                "pijlers": tuple(s.pijlers),
            }
            for soort, groep in self.groepen
            for o in groep
            for s in o.stellingen
        ]
        return pd.DataFrame(rows)


def as_dutch_list(waarden) -> str:
    """'1, 2 of 3': the values of a scale as a Dutch sentence names them."""
    woorden = [str(waarde) for waarde in waarden]
    return " of ".join([", ".join(woorden[:-1]), woorden[-1]]) if len(woorden) > 1 else "".join(woorden)


def reeks(waarden: range, tussen: str = "–") -> str:
    """'1–4' (or '1 tot 4' with `tussen`): a stretch of a scale as a text names it; one value stands alone."""
    return f"{waarden[0]}{tussen}{waarden[-1]}" if len(waarden) > 1 else str(waarden[0])


def load_roadmap(path: str | Path | None = None) -> Roadmap:
    """Load the Roadmap file at `path`, or the bundled one."""
    if path is None:
        return parse_roadmap(BUNDLED.read_text(encoding="utf-8"), "roadmap.yaml")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GebruikersFout(f"Roadmap-bestand niet gevonden: {path}") from None
    except UnicodeDecodeError:
        raise GebruikersFout(f"{path}: het bestand is geen UTF-8-tekst") from None
    except OSError as error:
        raise GebruikersFout(f"{path}: kan het bestand niet lezen ({error.strerror})") from None
    return parse_roadmap(text, str(path))


def parse_roadmap(text: str, source: str) -> Roadmap:
    """Validate Roadmap YAML `text`; `source` names it in error messages."""
    loader = _UniqueKeyLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", regel {mark.line + 1}" if mark else ""
        raise GebruikersFout(f"{source}{where}: geen geldige YAML ({getattr(error, 'problem', error)})") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise GebruikersFout(f"{source}: het bestand moet een Roadmap met velden bevatten")
    try:
        roadmap = Roadmap.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = getattr(first.get("ctx", {}).get("error"), "loc", first["loc"])
        line = _line_of(root, loc)
        where = f", regel {line}" if line else ""
        raise GebruikersFout(f"{source}{where}, veld {_field_path(loc)}: {dutch_message(first)}") from None
    roadmap._yaml = text
    return roadmap


def _field_path(loc: tuple) -> str:
    """`levensdomeinen[1].meerwaarde`: list positions counted from 1, as a trainer counts."""
    path = ""
    for part in loc:
        path += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return path.lstrip(".") or "(bestand)"


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """The 1-based line of the YAML node at pydantic location `loc` (or of its nearest parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node, line = match, match.start_mark.line + 1
    return line


_MESSAGES = {
    "missing": "dit veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "string_type": "moet tekst zijn",
    "string_too_short": "mag niet leeg zijn",
    "string_pattern_mismatch": "alleen kleine letters, cijfers, _ en . zijn toegelaten",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "bool_type": "moet ja of nee zijn",
    "greater_than_equal": "is te klein (minimum {ge})",
    "less_than_equal": "is te groot (maximum {le})",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet velden met waarden bevatten",
    "model_type": "moet velden met waarden bevatten",
    "too_short": "moet minstens {min_length} element(en) bevatten",
    "too_long": "mag hoogstens {max_length} element(en) bevatten",
}


def dutch_message(error: dict) -> str:
    """A Dutch message for one pydantic error."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    template = _MESSAGES.get(error["type"])
    if template is None:
        return f"ongeldige waarde ({error['msg']})"
    return template.format(**error.get("ctx", {}))
