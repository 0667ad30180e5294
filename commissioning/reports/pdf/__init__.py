"""Pure layout of the funding review PDF: document (the story), charts, flowables, fonts, layout."""
