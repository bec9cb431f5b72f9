"""Documents as PDFs (reportlab): a partner's statement and a shipment's delivery note, with
bilingual headings, the company's name from the settings and an embedded TrueType CJK font.

Nothing here imports reportlab until a document is drawn: `port.Documents` is the chat's port
(files in a private directory), `render_document` the CLI's (`--pdf FILE`).
"""
