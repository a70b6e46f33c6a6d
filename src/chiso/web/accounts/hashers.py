"""The hash of a one-time password: PBKDF2-SHA256 with a random salt and few iterations.

A slow hash (Argon2, the site's default for every password a person chooses) exists to make
guessing a *human* password expensive once the hashes leak: people choose words, names and
dates, a space small enough to search when each guess is cheap. A one-time password is not
chosen by anyone: :func:`chiso.web.accounts.one_time.issue_one_time_password` draws it from
the operating system's CSPRNG (``secrets.token_urlsafe``, 12 bytes: 96 bits). Searching 2**96
candidates is out of reach at any hashing speed (at 10**12 guesses a second, about 2.5·10**9
years for half the space), so the work factor buys nothing for it; the salt still keeps two
hashes of the same secret apart. The secret is used once, the person must choose their own
password at that sign-in (which is hashed with Argon2), and Django re-hashes it with the
preferred hasher on that successful sign-in anyway (the algorithm differs from the first of
``PASSWORD_HASHERS``).

What the slow hash cost: a province's import of 150 people spent over a minute in Argon2
(issue #20); with this hasher it is a fraction of a second (``benchmarks/bench_people.py``).

Listed in ``PASSWORD_HASHERS`` after Argon2, so it is never the default: only
:func:`issue_one_time_password` asks for it by name."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with 1,000 iterations, for random 96-bit one-time passwords only."""

    algorithm = "chiso_one_time"
    iterations = 1000
