"""Passkeys (WebAuthn): a fingerprint or face on a phone or laptop signs a person in.

Owners, head office and managers may register passkeys; the password stays as the fallback.
The ceremonies (options, then verify) run on the ``webauthn`` library (py_webauthn).
"""
