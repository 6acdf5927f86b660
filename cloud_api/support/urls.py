from django.urls import path
from rest_framework.routers import SimpleRouter

from cloud_api.support import views

router = SimpleRouter(trailing_slash=True)
router.register("till-logs", views.TillLogViewSet, basename="till-log")

urlpatterns = [
    path("sync/logs/", views.TillLogSendView.as_view(), name="sync-logs"),
    *router.urls,
]
