from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Test-only: argon2 with tiny costs (the test settings use it; production never does)."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
