"""AsiriaPOS cloud: the Django project that head office and the tills talk to."""

import pymysql

# PyMySQL stands in for mysqlclient, so no C compiler is needed to deploy the cloud.
pymysql.install_as_MySQLdb()

from cloud_api.celery import app as celery_app  # noqa: E402  (Celery finds tasks through it)

__all__ = ["celery_app"]
