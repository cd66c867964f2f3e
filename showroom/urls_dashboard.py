"""The manager dashboard, its drill-down lists, background exports and process audits."""

from django.urls import path

from showroom.views import audits as audit_views
from showroom.views import dashboard as views
from showroom.views import dashboard_exports as export_views

page_patterns = [
    path("", views.dashboard_view, name="home"),
    path("dashboard.pdf", views.dashboard_pdf_view, name="pdf"),
    path("visits/", views.visit_list_view, name="visits"),
    path("calls/", views.call_list_view, name="calls"),
    path("followups/", views.followup_list_view, name="followups"),
    path("exports/<int:pk>/", export_views.export_job_view, name="export"),
    path("exports/<int:pk>/download/", export_views.export_job_download_view, name="export_download"),
    path("audits/", audit_views.audit_list_view, name="audits"),
    path("audits/new/", audit_views.audit_create_view, name="audit_create"),
    path("audits/monthly/", audit_views.audit_monthly_view, name="audit_monthly"),
    path("audits/settings/", audit_views.audit_settings_view, name="audit_settings"),
    path("audits/monthly.pdf", audit_views.audit_monthly_pdf_view, name="audit_monthly_pdf"),
    path("audits/<int:pk>/", audit_views.audit_detail_view, name="audit"),
]
