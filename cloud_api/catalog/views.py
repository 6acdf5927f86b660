from __future__ import annotations

import base64
import binascii
import io
from typing import Any, BinaryIO

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cloud_api.accounts.selectors import organisation_of
from cloud_api.catalog import selectors, serializers, services
from cloud_api.catalog.catalog_import import CatalogImportRefused, catalog_import_stream
from cloud_api.catalog.filters import ProductFilter
from cloud_api.catalog.models import Category, Product, TaxClass
from cloud_api.core.cache import cached_page
from cloud_api.core.errors import ApplicationError
from cloud_api.core.parsers import JSONParser
from cloud_api.core.principal import MANAGER, OWNER, TERMINAL, USER_ROLES
from cloud_api.core.views import ScopedViewSet, resolve

MAX_CATALOG_FILE_BYTES = 20_000_000
CATALOG_ROLES = {"read": USER_ROLES | {TERMINAL}, "write": {OWNER, MANAGER}}


class CachedListMixin:
    """List pages come from Redis until the organisation's catalog changes."""

    cache_name = ""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def build() -> Any:
            # The viewset this mixes into has list(); the mixin itself has no base with one.
            return super(CachedListMixin, self).list(request, *args, **kwargs).data  # type: ignore[misc]

        data = cached_page(
            namespace=services.CATALOG,
            organisation_id=self.principal.organisation_id,  # type: ignore[attr-defined]
            name=self.cache_name,
            query=f"{request.get_host()}?{request.META.get('QUERY_STRING', '')}",
            build=build,
        )
        return Response(data)


class TaxClassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = TaxClass.objects.none()
    serializer_class = serializers.TaxClassOut
    roles = {"read": CATALOG_ROLES["read"]}
    pagination_class = None

    def get_queryset(self) -> QuerySet[TaxClass]:
        return selectors.tax_class_list(principal=self.principal)


class CategoryViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    queryset = Category.objects.none()
    serializer_class = serializers.CategoryOut
    roles = CATALOG_ROLES
    cache_name = "categories"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Category]:
        return selectors.category_list(principal=self.principal)

    @extend_schema(request=serializers.CategoryIn, responses={201: serializers.CategoryOut})
    def create(self, request: Request) -> Response:
        data = serializers.CategoryIn(data=request.data)
        data.is_valid(raise_exception=True)
        category = services.category_create(
            organisation=organisation_of(principal=self.principal), **data.validated_data
        )
        return Response(serializers.CategoryOut(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.CategoryIn, responses=serializers.CategoryOut)
    def partial_update(self, request: Request, id: str) -> Response:
        data = serializers.CategoryIn(data=request.data)
        data.is_valid(raise_exception=True)
        category = services.category_update(category=self.get_object(), **data.validated_data)
        return Response(serializers.CategoryOut(category).data)

    def destroy(self, request: Request, id: str) -> Response:
        services.category_delete(category=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductViewSet(
    CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    queryset = Product.objects.none()
    serializer_class = serializers.ProductOut
    roles = CATALOG_ROLES
    filterset_class = ProductFilter
    cache_name = "products"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.product_list(principal=self.principal)

    def _references(self, values: dict[str, Any]) -> dict[str, Any]:
        """Swap the wire's category_id / tax_class for rows of the caller's organisation."""
        if "category_id" in values:
            values["category"] = resolve(
                selectors.category_list(principal=self.principal),
                values.pop("category_id"),
                "category_id",
                "category",
            )
        if "tax_class" in values:
            values["tax_class"] = selectors.tax_class_list(principal=self.principal).get(
                code=values["tax_class"]
            )
        return values

    @extend_schema(request=serializers.ProductIn, responses={201: serializers.ProductOut})
    def create(self, request: Request) -> Response:
        data = serializers.ProductIn(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(
            organisation=organisation_of(principal=self.principal),
            created_by=self.principal.user,
            **self._references(dict(data.validated_data)),
        )
        return Response(serializers.ProductOut(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ProductUpdateIn, responses=serializers.ProductOut)
    def partial_update(self, request: Request, id: str) -> Response:
        data = serializers.ProductUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_update(
            product=self.get_object(),
            changed_by=self.principal.user,
            **self._references(dict(data.validated_data)),
        )
        return Response(serializers.ProductOut(product).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, id: str) -> Response:
        """Products stay for the sales that name them; deleting one retires it."""
        services.product_update(product=self.get_object(), active=False)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=serializers.PriceHistoryOut(many=True))
    @action(detail=True, methods=["get"], url_path="price-history")
    def price_history(self, request: Request, id: str) -> Response:
        rows = selectors.price_history_list(product=self.get_object())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializers.PriceHistoryOut(page, many=True).data)

    @extend_schema(
        request={
            "multipart/form-data": serializers.CatalogImportIn,
            "application/json": serializers.CatalogImportIn,
        },
        responses=serializers.CatalogImportOut,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[JSONParser, MultiPartParser],
    )
    def import_catalog(self, request: Request) -> Response:
        """A catalog from CSV or XLSX: every row checked first; one bad row and nothing is
        written (400, each bad line with its reason). ``dry_run`` only checks."""
        data = serializers.CatalogImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        stream: BinaryIO
        if values.get("file") is not None:
            upload = values["file"]
            if upload.size > MAX_CATALOG_FILE_BYTES:
                raise ApplicationError(
                    f"The file is over {MAX_CATALOG_FILE_BYTES // 1_000_000} MB: split it.",
                    fields={"file": ["Too large."]},
                )
            file_name, stream = upload.name, io.BytesIO(upload.read())
        else:
            try:
                content = base64.b64decode(values["content_base64"], validate=True)
            except (binascii.Error, ValueError) as error:
                raise ApplicationError(
                    "content_base64 is not base64.", fields={"content_base64": ["Not base64."]}
                ) from error
            file_name, stream = values["file_name"], io.BytesIO(content)
        renames = {}
        for pair in values["map"]:
            column, _, header = pair.partition("=")
            renames[column.strip().lower()] = header.strip()
        try:
            report = catalog_import_stream(
                organisation=organisation_of(principal=self.principal),
                file_name=file_name,
                stream=stream,
                renames=renames,
                dry_run=values["dry_run"],
                user=self.principal.user,
            )
        except CatalogImportRefused as error:
            raise ApplicationError(str(error), fields={"file": [str(error)]}) from error
        if not report.ok:
            raise ApplicationError(
                f"Nothing imported: {len(report.errors)} bad lines of {report.rows}.",
                fields={"file": [f"line {line}: {reason}" for line, reason in report.errors]},
            )
        out = {
            "imported": not values["dry_run"],
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "categories_created": report.categories_created,
        }
        return Response(serializers.CatalogImportOut(out).data)
