"""Web pages for review rounds."""

app_name = "commissioning"
urlpatterns: list = []
