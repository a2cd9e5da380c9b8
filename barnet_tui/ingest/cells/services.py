"""Canonical service names: from the many ways reports spell them, and from ref prefixes."""

from __future__ import annotations

import re

from barnet_tui.domain.contract import SERVICES

# Spellings seen in reports, lower-cased, with "&" read as "and".
_SYNONYMS: dict[str, str] = {
    "adults and communities": "Adults and Communities",
    "adults and safeguarding": "Adults and Communities",
    "barnet homes": "Barnet Homes",
    "commissioning group": "Commissioning Group",
    "customer and support group": "Customer and Support Group (CSG)",
    "customer service group": "Customer and Support Group (CSG)",
    "csg": "Customer and Support Group (CSG)",
    "education and skills": "Education and Skills",
    "family services": "Family Services",
    "hb public law": "HB Public Law",
    "hbpl": "HB Public Law",
    "parking and infrastructure": "Parking and Infrastructure",
    "public health": "Public Health",
    "regional enterprise": "Regional Enterprise (Re)",
    "re": "Regional Enterprise (Re)",
    "registrar service": "Registrar Service",
    "registrars": "Registrar Service",
    "street scene": "Street Scene",
    "your choice barnet": "Your Choice Barnet (YCB)",
    "ycb": "Your Choice Barnet (YCB)",
}
_SYNONYMS.update({name.lower(): name for name in SERVICES})

# Ref prefixes and the service that owns them; Re's contract refs have no slash.
_PREFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^AC/"), "Adults and Communities"),
    (re.compile(r"^BH/"), "Barnet Homes"),
    (re.compile(r"^CG/"), "Commissioning Group"),
    (re.compile(r"^CSG/"), "Customer and Support Group (CSG)"),
    (re.compile(r"^CES/"), "Education and Skills"),
    (re.compile(r"^FS/"), "Family Services"),
    (re.compile(r"^HBPL/"), "HB Public Law"),
    (re.compile(r"^PI/"), "Parking and Infrastructure"),
    (re.compile(r"^PH/"), "Public Health"),
    (re.compile(r"^R/"), "Registrar Service"),
    (re.compile(r"^SS/"), "Street Scene"),
    (re.compile(r"^YCB"), "Your Choice Barnet (YCB)"),
    (re.compile(r"^(RE/|KPI|SKPI|REGEN|EH\d)"), "Regional Enterprise (Re)"),
)

# "(incl. CSG, Re and Barnet Homes)" qualifies the service before it; it names no owner.
_QUALIFIER = re.compile(r"\s*\(incl\.[^)]*\)", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:/|\bor\b|–|-|,)\s*")


def _key(text: str) -> str:
    text = text.replace("&", " and ").replace("’", "'")
    text = re.sub(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰*#:]+$", "", text.strip())
    return " ".join(re.sub(r"[^\w\s()']", " ", text).lower().split())


def canonical_service(text: str) -> str | None:
    """The canonical name for a spelling of a service (``Re``, ``Adults & Communities``)."""
    key = _key(text)
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    bare = _key(re.sub(r"\([^)]*\)", "", text))
    return _SYNONYMS.get(bare)


def service_for_ref(ref: str) -> str | None:
    """The service a ref's prefix belongs to, for sections whose heading was lost."""
    for pattern, service in _PREFIXES:
        if pattern.match(ref):
            return service
    return None


def services_in_cell(text: str) -> tuple[list[str], str]:
    """The services a Service cell names, in order, and any prose that follows them.

    Extraction sometimes runs the next cell into this one ("CSG / Commissioning Group A score
    of 50% is likely..."); the words after the last service name are returned as the rest.
    """
    words = _QUALIFIER.sub("", text).split()
    found: list[str] = []
    end = 0
    start = 0
    while start < len(words):
        matched = 0
        for stop in range(min(len(words), start + 6), start, -1):
            name = canonical_service(" ".join(words[start:stop]))
            if name is not None:
                matched = stop
                break
        if matched:
            name = canonical_service(" ".join(words[start:matched]))
            if name is not None and name not in found:
                found.append(name)
            start = end = matched
            continue
        if _SEPARATORS.fullmatch(" " + words[start] + " "):
            start += 1
            continue
        break
    return found, " ".join(words[end:])


def choose_service(named: list[str], ref: str) -> str | None:
    """Of the services a row names, the one its ref belongs to, else the first named."""
    owner = service_for_ref(ref)
    if owner in named:
        return owner
    return named[0] if named else owner


def heading_service(text: str) -> str | None:
    """The service a heading line names ("Public Health²", "## Family Services")."""
    stripped = text.strip().lstrip("#").strip()
    if not stripped or len(stripped) > 60:
        return None
    return canonical_service(stripped)
