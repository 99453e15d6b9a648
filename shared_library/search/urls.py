from django.urls import path

from .views.public import search_page

urlpatterns = [path("", search_page, name="site_search")]
