"""`storygen consent grant|status|revoke`: a parent's or guardian's consent, per profile.

No story is made without it (consent.py holds the rules; the studio asks the same way).
"""
from __future__ import annotations

import click

from .. import consent as consent_mod
from .app import group, out, profile_option


@group()
def consent() -> None:
    """Parent/guardian consent: required before any story is made."""


@consent.command("grant")
@click.option("--guardian", required=True, help="Name of the parent or guardian granting consent.")
@profile_option
def consent_grant(guardian: str, profile: str) -> None:
    """Record consent (stores the guardian's name and the time, nothing about the child)."""
    rec = consent_mod.grant(guardian, profile)
    out.print(f"Consent recorded for profile [bold]{rec.profile}[/] by {rec.guardian} at {rec.granted_at}.")


@consent.command("status")
@profile_option
def consent_status(profile: str) -> None:
    """Show whether consent is on record for a profile (exit 1 if not)."""
    rec = consent_mod.status(profile)
    if rec is None:
        out.print(f"No consent on record for profile [bold]{profile}[/].")
        raise SystemExit(1)
    books = consent_mod.books_of(profile)
    out.print(f"Consent for [bold]{profile}[/] granted by {rec.guardian} at {rec.granted_at}; {len(books)} book(s) stored.")


@consent.command("revoke")
@profile_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def consent_revoke(profile: str, yes: bool) -> None:
    """Withdraw consent and delete every stored book of the profile."""
    books = consent_mod.books_of(profile)
    if not yes:
        click.confirm(f"Revoke consent for {profile!r} and delete {len(books)} book(s)?", abort=True)
    deleted = consent_mod.revoke(profile)
    out.print(f"Consent revoked for [bold]{profile}[/]; deleted {len(deleted)} book(s).")
