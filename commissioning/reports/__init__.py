"""The funding review: everything of it in one place.

    selectors.py   gathers the figures for a scope (a review round, a funding stream, a year)
    services.py    requests, runs and purges report jobs
    views.py, urls.py   the finance officers' pages
    content.py     the review's content as plain data
    pdf/           pure layout: document, sections and charts, flowables and fonts; nothing there
                   reads the database or knows about HTTP
"""
