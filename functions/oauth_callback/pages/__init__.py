"""The HTML pages the tenant's browser may end on, built with string.Template and html.escape only.

jinja2 is not shipped to Lambda (a development dependency), and these pages are small. Every value
that reaches a page goes through `html.escape`; the only style is one inline block allowed by its
hash in the Content-Security-Policy, and no page runs script.
"""
