"""`lz report`: one self-contained HTML page that lets a reviewer read a landing zone before it ships."""
from landing_zone.report.build import Report, build_report
from landing_zone.report.render import render_report

__all__ = ["Report", "build_report", "render_report"]
