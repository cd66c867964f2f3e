"""Pages of the leads app under /leads/ (namespace "leads")."""

from django.urls import path

from leads.views import campaigns, catalogue, leads, manage

app_name = "leads"
urlpatterns: list = [
    path("", leads.lead_mine_view, name="mine"),
    path("all/", leads.lead_all_view, name="all"),
    path("new/", leads.lead_create_view, name="create"),
    path("<int:pk>/", leads.lead_detail_view, name="detail"),
    path("<int:pk>/needs/", leads.lead_update_view, name="update"),
    path("<int:pk>/contacts/", leads.lead_contact_view, name="contact"),
    path("<int:pk>/grade/", leads.lead_grade_view, name="grade"),
    path("<int:pk>/plan/", leads.lead_plan_confirm_view, name="plan_confirm"),
    path("<int:pk>/objections/", leads.lead_objection_view, name="objection"),
    path("<int:pk>/objections/<int:objection_pk>/", leads.lead_objection_answer_view, name="objection_answer"),
    path("<int:pk>/test-drive/", leads.lead_test_drive_view, name="test_drive"),
    path("<int:pk>/appraisal/", leads.lead_appraisal_view, name="appraisal"),
    path("<int:pk>/lost/", leads.lead_lost_view, name="lost"),
    path("<int:pk>/transitions/<slug:name>/", leads.lead_transition_view, name="transition"),
    path("manage/check/", manage.lead_check_view, name="check"),
    path("manage/unrecorded/", manage.lead_unrecorded_view, name="unrecorded"),
    path("manage/plans/", manage.lead_plans_view, name="plans"),
    path("manage/lost/", manage.lead_lost_confirmations_view, name="lost_confirmations"),
    path("catalogue/", catalogue.catalogue_view, name="catalogue"),
    path("catalogue/brands/new/", catalogue.brand_create_view, name="brand_create"),
    path("catalogue/brands/<int:pk>/edit/", catalogue.brand_edit_view, name="brand_edit"),
    path("catalogue/models/new/", catalogue.model_create_view, name="model_create"),
    path("catalogue/models/<int:pk>/", catalogue.catalogue_model_view, name="catalogue_model"),
    path("catalogue/models/<int:pk>/edit/", catalogue.model_edit_view, name="model_edit"),
    path("catalogue/models/<int:model_pk>/trims/new/", catalogue.trim_create_view, name="trim_create"),
    path("catalogue/trims/<int:pk>/edit/", catalogue.trim_edit_view, name="trim_edit"),
    path("catalogue/models/<int:model_pk>/colours/new/", catalogue.colour_create_view, name="colour_create"),
    path("catalogue/colours/<int:pk>/edit/", catalogue.colour_edit_view, name="colour_edit"),
    path("catalogue/prices/<int:trim_pk>/<int:colour_pk>/", catalogue.price_set_view, name="price_set"),
    path("owners/", campaigns.owner_list_view, name="owners"),
    path("owners/import/", campaigns.owner_import_view, name="owners_import"),
    path("owners/<int:pk>/bought-elsewhere/", campaigns.owner_bought_elsewhere_view, name="owner_bought_elsewhere"),
    path("owners/cycles/", campaigns.cycle_list_view, name="cycles"),
    path("campaigns/", campaigns.campaign_list_view, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail_view, name="campaign"),
    path("campaigns/<int:pk>/launch/", campaigns.campaign_launch_view, name="campaign_launch"),
]
