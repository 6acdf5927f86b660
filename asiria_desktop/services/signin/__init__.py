"""Who is at the till: PINs, touch sign-in, approvals and the set-up's risks."""
