from django.urls import path

from cloud_api.dashboard import analytics_views, purchase_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("sales/", views.sales, name="sales"),
    path("sales/<uuid:sale_id>/", views.sale_detail, name="sale"),
    path("export/sales.csv", views.export_sales, name="export-sales"),
    path("export/days.csv", views.export_days, name="export-days"),
    path("reports/", views.reports, name="reports"),
    path("analytics/", analytics_views.analytics_page, name="analytics"),
    path("analytics/draft-orders/", analytics_views.draft_orders, name="draft-orders"),
    path("purchases/", purchase_views.purchase_orders, name="purchase-orders"),
    path("purchases/<uuid:order_id>/", purchase_views.purchase_order, name="purchase-order"),
    path(
        "purchases/<uuid:order_id>/discard/",
        purchase_views.purchase_order_discard,
        name="purchase-order-discard",
    ),
    path("exports/", views.export_start, name="export-start"),
    path("exports/<uuid:job_id>/", views.export_status, name="export"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export-download"),
]
