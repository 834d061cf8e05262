"""Password hashing for the reviewers' accounts: scrypt (standard library), salted, never reversible.

Stored as `scrypt$n$r$p$salt$hash` (hex), so the cost can be raised later and old hashes still verify.
"""

import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1  # ~16 MiB and tens of milliseconds per try: slow for a guesser


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               maxmem=64 * 1024 * 1024, dklen=len(digest) // 2)
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


DUMMY_HASH = hash_password(secrets.token_hex(8))  # checked for unknown names: same time as a real one
