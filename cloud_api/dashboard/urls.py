from django.urls import path

from cloud_api.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("sales/", views.sales, name="sales"),
    path("sales/<uuid:sale_id>/", views.sale_detail, name="sale"),
    path("export/sales.csv", views.export_sales, name="export-sales"),
    path("export/days.csv", views.export_days, name="export-days"),
]
