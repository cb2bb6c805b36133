"""Signing up, signing in, refreshing, switching organization, signing out, exchanging API keys.

Password work (argon2, tens of milliseconds of CPU) runs between transactions, never inside one, so a
sign-in holds a pooled connection only for its two short statements' worth of time.
"""

from . import machine_token, password_reset, refresh, sign_in, sign_up

__all__ = ["machine_token", "password_reset", "refresh", "sign_in", "sign_up"]
