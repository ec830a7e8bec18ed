"""`storygen studio`: a local web page where a parent and child pick a story and watch it being made.

server.py answers HTTP (routes, refusals, security headers), catalog.py turns the curated
options into picture buttons, jobs.py runs `make_book` in a background thread and reports its
stages, shelf.py lists, exports and deletes the profile's books, files.py resolves and sends
files safely; the page itself is static/ (index.html, studio.css, studio.js), no build step.
"""
