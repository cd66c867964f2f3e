"""Pages of the realestate app."""

from django.urls import path

from realestate.views import calculator, changes, contracts, deposits, reports, setup, visitors
from realestate.views import sales as views

app_name = "realestate"
urlpatterns = [
    path("", views.projects, name="projects"),
    path("projects/new/", setup.project_new, name="project_new"),
    path("projects/<int:project_id>/setup/", setup.project_setup, name="setup"),
    path("projects/<int:project_id>/permits/", setup.permit_new, name="permit_new"),
    path("projects/<int:project_id>/buildings/", setup.building_new, name="building_new"),
    path("projects/<int:project_id>/price-lists/", setup.price_list_new, name="price_list_new"),
    path("projects/<int:project_id>/price-lists/<int:pk>/submit/", setup.price_list_submit, name="price_list_submit"),
    path("projects/<int:project_id>/open/", setup.project_open, name="project_open"),
    path("projects/<int:project_id>/grid/", views.grid, name="grid"),
    path("projects/<int:project_id>/grid/live/", views.grid_live, name="grid_live"),
    path("projects/<int:project_id>/a-customers/", visitors.a_customer_list, name="a_customers"),
    path("projects/<int:project_id>/deposits/", deposits.deposits, name="deposits"),
    path("projects/<int:project_id>/vip/", deposits.vip_new, name="vip_new"),
    path("vip/<int:pk>/steps/<str:name>/", deposits.vip_step, name="vip_step"),
    path("units/<int:unit_id>/small-deposit/", deposits.small_deposit_new, name="small_deposit_new"),
    path("small-deposits/<int:pk>/steps/<str:name>/", deposits.small_deposit_step, name="small_deposit_step"),
    path("units/<int:unit_id>/", views.unit_panel, name="unit"),
    path("units/<int:unit_id>/subscribe/", views.unit_subscribe, name="subscribe"),
    path("units/<int:unit_id>/hold/", views.unit_hold, name="hold"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/", views.subscription, name="subscription"),
    path("subscriptions/<int:pk>/steps/<str:name>/", views.subscription_step, name="subscription_step"),
    path("subscriptions/<int:pk>/contract/", contracts.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", contracts.contract, name="contract"),
    path("contracts/<int:pk>/steps/<str:name>/", contracts.contract_step, name="contract_step"),
    path("visitors/", visitors.visitors, name="visitors"),
    path("visitors/intentions/", visitors.intention_new, name="intention_new"),
    path("visitors/work-log/<int:store_id>/", visitors.work_log, name="work_log"),
    path("intentions/<int:pk>/spot-check/", visitors.spot_check, name="spot_check"),
    path("intentions/<int:pk>/checks/", visitors.intention_checks, name="intention_checks"),
    path("reports/", reports.report, name="report"),
    path("cashier/", views.cashier, name="cashier"),
    path("cashier/<int:store_id>/hand-over/", views.cashier_hand_over, name="cashier_hand_over"),
    path("subscriptions/<int:pk>/changes/", changes.subscription_changes, name="subscription_changes"),
    path("subscriptions/<int:pk>/changes/section/", changes.subscription_changes_section, name="changes_section"),
    path("subscriptions/<int:pk>/changes/<str:kind>/", changes.change_new, name="change_new"),
    path("subscriptions/<int:pk>/calculator/", calculator.subscription_calculator, name="subscription_calculator"),
    path("changes/", changes.change_list, name="changes"),
    path("changes/<int:pk>/steps/<str:name>/", changes.change_step, name="change_step"),
    path("calculator/", calculator.calculator_public, name="calculator"),
]
