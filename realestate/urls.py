"""Pages of the realestate app; they arrive with the app's issue."""

app_name = "realestate"
urlpatterns: list = []
