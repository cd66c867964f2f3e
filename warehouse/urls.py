"""Pages of the warehouse app; they arrive with the app's issue."""

app_name = "warehouse"
urlpatterns: list = []
