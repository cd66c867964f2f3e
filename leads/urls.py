"""Pages of the leads app; they arrive with the app's issue."""

app_name = "leads"
urlpatterns: list = []
