"""``backlogctl report``: the state of a backlog gathered into one result for people.

``build.build_report`` collects the sections (source and as-of date, headline numbers, the
top N, the value/effort matrix, the lint summary, model agreement and, when their data exist,
OKR, stakeholders and history) into a ``model.Report``; the HTML and Markdown renderers in
``output/`` only format it. Nothing here formats text for a particular output.
"""
