"""Qt-free reports: reportlab documents built from plain frozen dataclasses.

- visit_summary.render_visit_summary(VisitSummaryData, out, *, large_print=False)
  (input: summary_data; visit_source.build_visit_summary(profile, visit_id) builds it)
- caseload_report.render_caseload_report(CaseloadReportData, out, *, large_print=False)
  (input: caseload_report; caseload_from_rows builds it from core.caseload rows)

Both return pdf_layout.RenderResult(pages, narrative_limit).
"""
