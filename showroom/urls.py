from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from showroom import urls_checklists, urls_dashboard, urls_documents, urls_followups, urls_frontdesk, urls_search
from showroom.api.approvals import ApprovalViewSet
from showroom.api.customers import CustomerViewSet
from showroom.views import approvals as approval_views
from showroom.views import customer_identity as identity_views
from showroom.views import customers as customer_views
from showroom.views import privacy as privacy_views
from showroom.views import shell

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("approvals", ApprovalViewSet, basename="approval")
for engine in (urls_followups, urls_checklists, urls_documents, urls_frontdesk):
    for prefix, viewset, basename in engine.api_routes:
        router.register(prefix, viewset, basename=basename)

customer_patterns = (
    [
        path("", customer_views.customer_list_view, name="list"),
        path("new/", customer_views.customer_create_view, name="create"),
        path("<int:pk>/", customer_views.customer_detail_view, name="detail"),
        path("<int:pk>/edit/", customer_views.customer_edit_view, name="edit"),
        path("<int:pk>/transfer/", identity_views.customer_transfer_request_view, name="transfer"),
        path("<int:pk>/owner/", identity_views.customer_owner_assign_view, name="owner"),
        path("<int:pk>/export.<slug:fmt>", privacy_views.customer_export_view, name="export"),
        path("<int:pk>/erase/", privacy_views.customer_erase_view, name="erase"),
        path("duplicates/", identity_views.customer_duplicates_view, name="duplicates"),
        path("merge/", identity_views.customer_merge_view, name="merge"),
        path("dismiss/", identity_views.customer_dismiss_view, name="dismiss"),
    ],
    "customers",
)

approval_patterns = (
    [
        path("", approval_views.approval_inbox_view, name="inbox"),
        path("mine/", approval_views.approval_mine_view, name="mine"),
        path("<int:pk>/", approval_views.approval_detail_view, name="detail"),
        path("<int:pk>/<slug:name>/", approval_views.approval_decide_view, name="decide"),
    ],
    "approvals",
)

api_v1 = [
    path("core/search/", urls_search.api_view, name="search-api"),
    path("core/", include(router.urls)),
    path("leads/", include("leads.api_urls")),
    path("testdrive/", include("testdrive.urls_api")),
    path("delivery/", include("delivery.urls_api")),
    path("warehouse/", include("warehouse.urls_api")),
    path("realestate/", include("realestate.urls_api")),
]

urlpatterns = [
    path("", shell.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("store/switch/", shell.store_switch, name="store_switch"),
    path("customers/", include(customer_patterns)),
    path("approvals/", include(approval_patterns)),
    path("followups/", include((urls_followups.page_patterns, "followups"))),
    path("checklists/", include((urls_checklists.page_patterns, "checklists"))),
    path("documents/", include((urls_documents.page_patterns, "documents"))),
    path("frontdesk/", include((urls_frontdesk.page_patterns, "frontdesk"))),
    path("search/", include((urls_search.page_patterns, "search"))),
    path("dashboard/", include((urls_dashboard.page_patterns, "dashboard"))),
    path("leads/", include("leads.urls")),
    path("testdrive/", include("testdrive.urls")),
    path("delivery/", include("delivery.urls")),
    path("warehouse/", include("warehouse.urls")),
    path("realestate/", include("realestate.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

handler403 = "showroom.views.shell.error_403"
handler404 = "showroom.views.shell.error_404"
handler500 = "showroom.views.shell.error_500"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
