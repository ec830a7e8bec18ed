"""Reading a scene's setting from the book's text: the words and phrase matching (words.py), time
of day and weather (sky.py), the place (places.py), and all three carried from scene to scene
through a book (book.py), which the layout records in its Background."""
