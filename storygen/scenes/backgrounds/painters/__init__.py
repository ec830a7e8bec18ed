"""The background painters, one module per kind of place, and the complete layer registry.

Each painter module registers its layers by name with paint.layer when it is imported; this
package imports them all, so `LAYERS` and `ACCENT_LAYERS` taken from here hold every painter the
background manifest may name (library.validate checks the names against them, draw.py calls them).
"""
from __future__ import annotations

from ..paint import ACCENT_LAYERS, LAYERS
# imported for their @layer registrations
from . import indoors, land_accents, land_far, land_near, land_places, land_water, sea, space  # noqa: F401

__all__ = ["ACCENT_LAYERS", "LAYERS"]
