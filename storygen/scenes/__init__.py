"""Scene composition, story text to pictures: the `scene` stage (stage.py) runs each scene's graph
through a layout backend (layout/) onto a background (backgrounds/) in the place, light and
weather read from the book (setting/), then renders it (render.py) and animates it (animate.py)
with objects from the object library (assets.py, checked by library_check.py and measured by
library_coverage.py); evaluation/ measures the pictures."""
