"""The lifecycle JSON API (included at /api/v1/ on the console host)."""
urlpatterns = []
