"""Word (and PDF) recaps of a workshop: context from the model, docxtpl templates, LibreOffice.

    context = build_report_context(workshop, board, planning, lang="sv", organisation=..., generated=now)
    path = render_report(context, bundled_template("sv"), out_dir / report_filename(context), ...)
    convert_to_pdf(path)                                # optional, needs LibreOffice
"""
