"""The admin site for head office: search and filters over their own organisation, read-only."""

from __future__ import annotations


def test_head_office_browses_sales_of_their_organisation_only(org_a, org_b, client, record_sale):
    ours = record_sale(org_a)
    theirs = record_sale(org_b)
    client.force_login(org_a.users["head_office"])

    page = client.get("/admin/sales/sale/", {"q": "S01-T01"})
    detail = client.get(f"/admin/sales/sale/{ours.pk}/change/")
    foreign = client.get(f"/admin/sales/sale/{theirs.pk}/change/")

    assert page.status_code == 200
    assert ours.receipt_no in page.content.decode()
    assert theirs.receipt_no not in page.content.decode()
    assert detail.status_code == 200
    assert foreign.status_code == 302  # "does not exist" -> back to the list
    assert client.get("/admin/sales/sale/add/").status_code == 403


def test_head_office_cannot_edit_products_in_the_admin(org_a, client):
    client.force_login(org_a.users["head_office"])
    product = org_a.products[0]

    response = client.post(f"/admin/catalog/product/{product.pk}/change/", {"name": "Hacked"})

    product.refresh_from_db()
    assert response.status_code == 403
    assert product.name == "Coca-Cola 500ml"


def test_cashiers_do_not_get_into_the_admin(org_a, client):
    client.force_login(org_a.users["cashier"])

    response = client.get("/admin/sales/sale/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_every_admin_list_renders_for_an_operator(org_a, client, record_sale, django_user_model):
    record_sale(org_a)
    operator = django_user_model.objects.create_superuser("ops@asiria.example", "Op-Pass-Long-42")
    client.force_login(operator)
    index = client.get("/admin/")
    links = {
        f"/admin/{app}/{model}/"
        for app, model in [
            ("accounts", "organisation"),
            ("accounts", "store"),
            ("accounts", "user"),
            ("accounts", "terminal"),
            ("catalog", "product"),
            ("catalog", "category"),
            ("catalog", "taxclass"),
            ("inventory", "stocklevel"),
            ("inventory", "stockmovement"),
            ("sales", "sale"),
            ("sales", "refund"),
            ("payments", "payment"),
            ("purchases", "supplier"),
            ("purchases", "purchaseorder"),
            ("notifications", "notification"),
            ("sync", "syncevent"),
            ("sync", "syncrejection"),
            ("sync", "tillactivity"),
            ("sync", "tillauditentry"),
        ]
    }

    assert index.status_code == 200
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)
