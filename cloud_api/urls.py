from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from cloud_api.accounts import views as accounts
from cloud_api.analytics import forecast_views
from cloud_api.analytics import insights_views as analytics
from cloud_api.catalog import views as catalog
from cloud_api.core import health, landing
from cloud_api.customers import views as customers
from cloud_api.integrations.whatsapp.demo_page import demo_whatsapp
from cloud_api.integrations.whatsapp.views import whatsapp_webhook
from cloud_api.inventory import views as inventory
from cloud_api.notifications import views as notifications
from cloud_api.payments import views as payments
from cloud_api.payments.mpesa import views as mpesa
from cloud_api.purchases import views as purchases
from cloud_api.reporting import views as reporting
from cloud_api.reporting.selectors.catalogue import REPORTS
from cloud_api.sales import views as sales
from cloud_api.sync import views as sync

router = SimpleRouter(trailing_slash=True)
router.register("stores", accounts.StoreViewSet, basename="store")
router.register("users", accounts.UserViewSet, basename="user")
router.register("terminals", accounts.TerminalViewSet, basename="terminal")
router.register("tax-classes", catalog.TaxClassViewSet, basename="tax-class")
router.register("categories", catalog.CategoryViewSet, basename="category")
router.register("products", catalog.ProductViewSet, basename="product")
router.register("stock-levels", inventory.StockLevelViewSet, basename="stock-level")
router.register("stock-movements", inventory.StockMovementViewSet, basename="stock-movement")
router.register("sales", sales.SaleViewSet, basename="sale")
router.register("payments/mpesa/stk", mpesa.StkAttemptViewSet, basename="mpesa-stk")
router.register("payments", payments.PaymentViewSet, basename="payment")
router.register("suppliers", purchases.SupplierViewSet, basename="supplier")
router.register("purchase-orders", purchases.PurchaseOrderViewSet, basename="purchase-order")
router.register("till-activity", sync.TillActivityViewSet, basename="till-activity")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("forecasts", forecast_views.DemandForecastViewSet, basename="forecast")
router.register("customers", customers.CustomerViewSet, basename="customer")
router.register(
    "customer-campaigns", customers.CustomerCampaignViewSet, basename="customer-campaign"
)

# Daraja's callbacks; ``{secret}`` is ASIRIA_MPESA_CALLBACK_SECRET.
mpesa_callbacks = [
    path("callback/<str:secret>/", mpesa.stk_callback, name="mpesa-stk-callback"),
    path("c2b/validation/<str:secret>/", mpesa.c2b_validation, name="mpesa-c2b-validation"),
    path("c2b/confirmation/<str:secret>/", mpesa.c2b_confirmation, name="mpesa-c2b-confirmation"),
    path("status/result/<str:secret>/", mpesa.status_result, name="mpesa-status-result"),
    path("status/timeout/<str:secret>/", mpesa.status_timeout, name="mpesa-status-timeout"),
]

api_v1 = [
    path("auth/token/", accounts.LoginView.as_view(), name="token-obtain"),
    path("auth/token/refresh/", accounts.RefreshView.as_view(), name="token-refresh"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("auth/passkeys/", include("cloud_api.accounts.passkeys.urls")),
    path("organisation/", accounts.OrganisationView.as_view(), name="organisation"),
    path("terminals/enroll/", accounts.EnrollView.as_view(), name="terminal-enroll"),
    path("sync/push/", sync.SyncPushView.as_view(), name="sync-push"),
    path("sync/pull/", sync.SyncPullView.as_view(), name="sync-pull"),
    path("", include("cloud_api.support.urls")),
    path("reports/sales-summary/", reporting.SalesSummaryView.as_view(), name="sales-summary"),
    path("reports/exports/", reporting.ExportListView.as_view(), name="report-exports"),
    path("reports/exports/<uuid:id>/", reporting.ExportDetailView.as_view(), name="report-export"),
    path(
        "reports/exports/<uuid:id>/download/",
        reporting.ExportDownloadView.as_view(),
        name="report-export-download",
    ),
    *(
        path(f"reports/{name}/", reporting.report_view(name), name=f"report-{name}")
        for name in REPORTS
    ),
    path("payments/mpesa/c2b/claim/", mpesa.C2BClaimView.as_view(), name="mpesa-c2b-claim"),
    path("payments/mpesa/", include(mpesa_callbacks)),
    path("integrations/whatsapp/webhook/", whatsapp_webhook, name="whatsapp-webhook"),
    path(
        "forecasts/refresh/", forecast_views.ForecastRefreshView.as_view(), name="forecast-refresh"
    ),
    path(
        "reorder-suggestions/",
        forecast_views.ReorderSuggestionsView.as_view(),
        name="reorder-suggestions",
    ),
    path(
        "reorder-suggestions/draft-orders/",
        forecast_views.DraftOrdersView.as_view(),
        name="reorder-draft-orders",
    ),
    path("analytics/basket-rules/", analytics.BasketRulesView.as_view(), name="basket-rules"),
    path(
        "analytics/basket-rules/compute/",
        analytics.BasketComputeView.as_view(),
        name="basket-rules-compute",
    ),
    path("analytics/anomalies/", analytics.AnomaliesView.as_view(), name="anomalies"),
    path("analytics/insights/", analytics.InsightsView.as_view(), name="insights"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    *router.urls,
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("o/", include("cloud_api.core.oauth_urls", namespace="oauth2_provider")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("dashboard/", include("cloud_api.dashboard.urls")),
    path("", landing.landing, name="landing"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("demo/whatsapp/", demo_whatsapp, name="demo-whatsapp"),
]

handler400 = "cloud_api.core.errors.bad_request"
handler403 = "cloud_api.core.errors.permission_denied"
handler404 = "cloud_api.core.errors.not_found"
handler500 = "cloud_api.core.errors.server_error"
