"""schemathesis hooks for scripts/api-fuzz.

The same Idempotency-Key with a different request is answered 422 by
design (crates/server/tests/api.rs covers it); the fuzzer cannot know a key
is spent, so each valid generated key gets a unique suffix.
"""

import itertools
import re

import schemathesis

_counter = itertools.count()
# The header's pattern in the OpenAPI document: keys that break it are left
# as generated, for the server to refuse.
_VALID = re.compile(r"[!-~]([ -~]*[!-~])?")


@schemathesis.hook
def map_headers(context, headers):
    key = (headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and len(key) <= 180 and _VALID.fullmatch(key):
        headers["Idempotency-Key"] = f"{key}-{next(_counter)}"
    return headers
