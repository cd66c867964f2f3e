"""Pages of the realestate app."""

from django.urls import path

from realestate import views

app_name = "realestate"
urlpatterns = [
    path("", views.projects, name="projects"),
    path("projects/<int:project_id>/grid/", views.grid, name="grid"),
    path("projects/<int:project_id>/grid/live/", views.grid_live, name="grid_live"),
    path("units/<int:unit_id>/", views.unit_panel, name="unit"),
    path("units/<int:unit_id>/subscribe/", views.unit_subscribe, name="subscribe"),
    path("units/<int:unit_id>/hold/", views.unit_hold, name="hold"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/", views.subscription, name="subscription"),
    path("subscriptions/<int:pk>/steps/<str:name>/", views.subscription_step, name="subscription_step"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("cashier/", views.cashier, name="cashier"),
    path("cashier/<int:store_id>/hand-over/", views.cashier_hand_over, name="cashier_hand_over"),
]
