"""Mounted at /dictionaries/ on the console host (jiyue.urls.console)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.dictionary_list, name="checks_dictionaries"),
    path("new/", views.dictionary_create, name="checks_dictionary_create"),
    path("<int:dictionary_id>/", views.dictionary_detail, name="checks_dictionary"),
    path("<int:dictionary_id>/import/", views.dictionary_import, name="checks_import"),
    path("<int:dictionary_id>/terms/add/", views.term_add, name="checks_term_add"),
    path("<int:dictionary_id>/terms/remove/", views.term_remove, name="checks_term_remove"),
    path("<int:dictionary_id>/titles/", views.titles_set, name="checks_titles"),
    path("<int:dictionary_id>/versions/<int:number>/", views.version_detail, name="checks_version"),
    path("<int:dictionary_id>/versions/<int:number>/export/", views.version_export, name="checks_export"),
    path("<int:dictionary_id>/versions/<int:number>/activate/", views.version_activate, name="checks_activate"),
]
