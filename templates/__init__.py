"""The bundled Word templates (recap and follow-up, Swedish and English), shipped as package data.

Coordinators edit copies of these in Word; `tools/make_templates.py` and
`tools/make_followup_templates.py` build them. Loaded with importlib.resources, so a plain
`pip install .` can write reports.
"""
