"""Scene backgrounds: the background library (library.py), the choice of a variant with its light
and weather for a scene (choose.py), drawing a variant layer by layer (draw.py) with the shared
drawing helpers (paint.py) and the painters of each kind of place (painters/)."""
