"""Reports as pure layout: each module takes figures already gathered (see
commissioning.report_selectors) and returns a document's bytes. Nothing here reads the database
or knows about HTTP.

    from commissioning.reports.funding_review import render
"""
