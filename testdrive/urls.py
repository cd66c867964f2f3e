"""Pages of the testdrive app; they arrive with the app's issue."""

app_name = "testdrive"
urlpatterns: list = []
