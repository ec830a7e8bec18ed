"""Scene composition: object library (assets), layout, rendering, animation, the scene stage."""
