"""Console pages of the site lifecycle (included at /lifecycle/ on the console host)."""
urlpatterns = []
