from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the smallest cost, for tests only: the same algorithm, a thousandth of the wait."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
