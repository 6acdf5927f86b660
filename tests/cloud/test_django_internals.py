"""Django's private model and queryset internals that the bulk sale path relies on
(cloud_api/core/django_internals.py) still behave as it needs: fails here first on an upgrade."""

from __future__ import annotations

import pytest

from cloud_api.catalog.models import Category
from cloud_api.core.django_internals import (
    cache_related,
    mark_saved,
    mark_unsaved,
    remember_children,
)

pytestmark = pytest.mark.django_db


def test_a_cached_foreign_key_is_read_without_a_query(org_a, django_assert_num_queries):
    product = org_a.products[0]
    fresh = type(product)(pk=product.pk, category_id=org_a.category.pk)

    cache_related(fresh, category=org_a.category)

    with django_assert_num_queries(0):
        assert fresh.category is org_a.category


def test_remembered_children_answer_all_without_a_query(org_a, django_assert_num_queries):
    category = Category.objects.get(pk=org_a.category.pk)
    rows = list(org_a.products)

    remember_children(category, products=rows)

    with django_assert_num_queries(0):
        assert list(category.products.all()) == rows


def test_saved_and_unsaved_marks_decide_insert_or_update(org_a):
    category = Category(organisation=org_a.organisation, name="Snacks")
    category.save()
    copy = Category(pk=category.pk, organisation=org_a.organisation, name="Sweets")

    mark_saved(copy)
    assert copy._state.adding is False
    mark_unsaved(copy)
    assert (copy.pk, copy._state.adding) == (None, True)
    copy.save()  # an INSERT: a second row, not an update of the first

    assert set(
        Category.objects.filter(name__in=["Snacks", "Sweets"]).values_list("name", flat=True)
    ) == {
        "Snacks",
        "Sweets",
    }
