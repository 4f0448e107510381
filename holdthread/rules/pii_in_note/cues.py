"""The words just before a value that say what it is: a reference, a phone, a government id.

A number is read with the few words before it: "order 4242 4242 4242 4242" is a reference, "call
him on 020 7946 0958" a phone, "SSN 078-05-1120" a government id. Each cue looks at a short window
before the value, so reading it costs the same for every value.
"""

from __future__ import annotations

import re

#: Words just before a number that say it is a reference, not a phone or card number.
NOT_PERSONAL = re.compile(
    r"(?:order|invoice|inv|ticket|case|ref|reference|tracking|shipment|parcel|po|sku|item|id|no|nr|#|version|ver|v|"
    r"build|release|txn|transaction|receipt|booking|confirmation|account\s+(?:id|no)|batch|lot|serial|request|job|run|"
    r"incident|inc|pr|issue|error|code|port|ip|zip|postcode|postal)\s*(?:number|no\.?|#|id)?\s*[:#=]?\s*$",
    re.IGNORECASE,
)
#: Words just before a number that say it is a phone number.
PHONE_CUE = re.compile(
    r"(?:phone|call(?:ed|ing)?|tel|telephone|mobile|cell|ph|whatsapp|sms|text(?:ed)?|dial|reach\s+(?:him|her|them|me)\s+"
    r"(?:at|on)|contact\s+number|number\s+is|fax|callback|call\s+back)\b[^\n]{0,25}$",
    re.IGNORECASE,
)
#: Words before a value that say it is a government id.
GOV_CUE = re.compile(
    r"\b(?:ssn|social\s+security|national\s+insurance|\bni\b|nino|tax\s+id|tin|passport|driver'?s?\s+licen[cs]e)\b",
    re.IGNORECASE,
)


def before(text: str, start: int, width: int = 40) -> str:
    """The ``width`` characters before ``start``: where a value's cue is."""
    return text[max(0, start - width) : start]


def is_reference(text: str, start: int) -> bool:
    """Whether the words before ``start`` say the number there is a reference ("order", "ticket #")."""
    return NOT_PERSONAL.search(before(text, start)) is not None
