"""When something will happen: a moment or deadline, or a condition the next step waits on.

no-next-step asks "does this next step say when?": "by 15:00 UTC", "tomorrow", "EOD", "Monday",
"in 2 hours", "Nov 28", or "once the fix ships", "when PR #4411 merges", "if no reply". Months and
weekdays come from the lexicon.
"""

from __future__ import annotations

import re

from holdthread.text.lexicon import MONTH, WEEKDAY

#: A moment or deadline: "by 15:00 UTC", "tomorrow", "EOD", "Monday", "in 2 hours", "Nov 28".
WHEN = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}\b|\b\d{{1,2}}\s?(?:am|pm)\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH}(?!\w)"
    rf"|\b(?:today|tonight|tomorrow|tmrw|tmr|this\s+(?:morning|afternoon|evening|week)|next\s+(?:week|month|sprint|release|shift)|"
    rf"(?:on|by|before|until|till|this|next|first\s+thing)\s+{WEEKDAY}|{WEEKDAY}\s+(?:morning|afternoon|evening)|"
    r"eod|cob|eow|end\s+of\s+(?:day|the\s+day|shift|week|my\s+shift|business)|start\s+of\s+(?:day|shift|business)|"
    r"within\s+(?:\d+|an?|one|two|three|24|48)\s*(?:h|hrs?|hours?|mins?|minutes?|days?|business\s+days?)|"
    r"in\s+(?:\d+|an?|one|two|three|a\s+few|half\s+an)\s*(?:h|hrs?|hours?|mins?|minutes?|days?)|"
    r"(?:every|each)\s+(?:\d+\s*)?(?:h|hours?|mins?|minutes?|days?|morning)|"
    r"by\s+(?:noon|midday|lunch|close|the\s+end\s+of|\d)|(?:after|before)\s+(?:lunch|standup|the\s+weekend)|"
    r"asap\s+(?:and\s+)?(?:no\s+later\s+than|by))\b",
    re.IGNORECASE,
)

#: A condition the next step waits on: "once the fix ships", "when PR #4411 merges", "if no reply".
CONDITION = re.compile(
    r"\b(?:once|as\s+soon\s+as|when(?:ever)?|after|if|unless|until|till|pending|upon|on\s+(?:receipt|reply|merge|deploy|release))\s+"
    r"(?!(?:possible|needed|necessary|required|you\s+can|i\s+can)\b)\w"
    r"|\bwaiting\s+(?:on|for)\b[^.\n;]{3,}?(?:,|;|\s-\s|\s–\s)?\s*(?:then|and\s+then|after\s+which|->|→)\b",
    re.IGNORECASE,
)
