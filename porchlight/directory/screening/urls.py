"""Screening URLs, mounted under /programs/ in the "services" namespace (see directory/urls.py)."""

from django.urls import path

from porchlight.directory.screening import views

urlpatterns = [
    path("screen/resident/<int:resident_pk>/", views.screening_new, name="screening_new"),
    path("screen/resident/<int:resident_pk>/history/", views.screening_history, name="screening_history"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("<int:program_pk>/rules/", views.program_rules, name="program_rules"),
    path("<int:program_pk>/rules/try/", views.program_rules_try, name="program_rules_try"),
    path("<int:program_pk>/rules/<int:pk>/", views.program_rule_edit, name="program_rule_edit"),
    path("<int:program_pk>/rules/<int:pk>/delete/", views.program_rule_delete, name="program_rule_delete"),
    path("ami/", views.ami_table, name="ami_table"),
    path("ami/new-year/", views.ami_year_new, name="ami_year_new"),
]
