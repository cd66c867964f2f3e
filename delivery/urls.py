"""Pages of the delivery app; they arrive with the app's issue."""

app_name = "delivery"
urlpatterns: list = []
