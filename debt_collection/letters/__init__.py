"""Letters as PDF: the layout of each step's letter, rendered once with WeasyPrint and kept.

`render.document_pdf(document=...)` gives a document's PDF; `fetcher.LetterURLFetcher` is
what WeasyPrint may load while rendering (static files, the organisation's logo, small
data: URIs) and nothing else. Templates are under templates/letters/, the stylesheet is
debt_collection/static/letters/letter.css.
"""
