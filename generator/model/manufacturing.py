"""Where and how the device is made (EU MDR Annex II 3; ISO 13485:2016 7.5): the sites that design,
make, sterilise or release it, with their certificates, and the process steps in order, each at a site
with its equipment, its in-process controls and whether its output is fully verified or the process
must be validated (7.5.6)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import MAX_COUNT, Record, Ref, choice, link
from .supply import Certificate


class Site(Record):
    """A manufacturing site (EU MDR Annex II 3(b)): the manufacturer's own or a supplier's."""

    KIND = "site"
    PREFIXES = ("SITE",)
    FOLDER = "manufacturing"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "approved", "inactive")
    RETIRED: ClassVar[tuple[str, ...]] = ("inactive",)

    address: str = Field(description="Postal address of the site")
    roles: list[str] = choice({"design": "Design", "manufacture": "Manufacture", "sterilisation": "Sterilisation",
                               "testing": "Testing", "packaging": "Packaging and labelling",
                               "final_release": "Final release"},
                              description="What is done at the site", default=[])
    supplier: Ref | None = link("supplier", description="The supplier that runs the site (none: the manufacturer's "
                                "own site)", many=False)
    certificates: list[Certificate] = Field(default_factory=list, description="Certificates the site holds (a "
                                            "supplier's site may leave them to the supplier record)")


class ProcessStep(Record):
    """One step of the manufacturing process flow, at one site."""

    KIND = "process_step"
    PREFIXES = ("PRC",)
    FOLDER = "manufacturing"
    RETIRED: ClassVar[tuple[str, ...]] = ("obsolete",)

    sequence: int = Field(ge=1, le=MAX_COUNT, description="Position in the process flow (10, 20, … leaves room)")
    site: Ref = link("site", description="Site where the step is done", many=False, required=True)
    equipment: list[Ref] = link("equipment", description="Equipment used")
    inputs: list[str] = Field(default_factory=list, description="What goes in")
    outputs: list[str] = Field(default_factory=list, description="What comes out")
    controls: list[str] = Field(default_factory=list, description="In-process controls and acceptance criteria")
    output_verification: str = choice(
        {"verified": "Output fully verified", "special_process": "Special process: validated (ISO 13485 7.5.6)"},
        description="Whether the output is fully verified by later inspection and test, or the process must be "
                    "validated because it is not", required=True)
    validation: list[Ref] = link("protocol", description="Protocols that validate the process (IQ, OQ, PQ)")
