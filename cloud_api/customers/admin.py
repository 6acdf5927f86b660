from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cloud_api.accounts.models import User
from cloud_api.core.admin_mixins import OrganisationScopedAdmin
from cloud_api.core.errors import ApplicationError
from cloud_api.customers.models import Customer, CustomerCampaign, CustomerMessage
from cloud_api.customers.services import campaign_send


@admin.register(Customer)
class CustomerAdmin(OrganisationScopedAdmin):
    list_display = ["name", "phone", "store", "whatsapp_consent", "consent_source", "opted_out_at"]
    list_select_related = ["store"]
    list_filter = ["whatsapp_consent", "consent_source"]
    search_fields = ["name", "phone"]
    readonly_fields = ["consent_at", "opted_out_at", "last_inbound_at"]


@admin.register(CustomerCampaign)
class CustomerCampaignAdmin(OrganisationScopedAdmin):
    """Campaigns sent; "Send again" repeats a campaign to the store's opted-in customers."""

    list_display = ["created_at", "store", "template", "recipients", "created_by"]
    list_select_related = ["store", "created_by"]
    readonly_fields = ["recipients", "created_by"]
    actions = ["send_again"]

    @admin.action(description="Send again to the store's opted-in customers")
    def send_again(self, request: HttpRequest, queryset: QuerySet[CustomerCampaign]) -> None:
        # The admin only serves signed-in staff, so this is always a User.
        sender = request.user if isinstance(request.user, User) else None
        for campaign in queryset.select_related("organisation", "store"):
            try:
                again = campaign_send(
                    organisation=campaign.organisation,
                    store=campaign.store,
                    template=campaign.template,
                    language=campaign.language,
                    parameters=campaign.parameters,
                    created_by=sender,
                )
            except ApplicationError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
            self.message_user(request, f"Queued {again.recipients} messages.")


@admin.register(CustomerMessage)
class CustomerMessageAdmin(OrganisationScopedAdmin):
    """Each receipt or campaign message and where it is on WhatsApp."""

    list_display = ["created_at", "customer", "kind", "template", "delivery_status"]
    list_select_related = ["customer", "delivery"]
    list_filter = ["kind"]
    search_fields = ["customer__phone", "customer__name"]

    @admin.display(description="Delivery")
    def delivery_status(self, message: CustomerMessage) -> str:
        delivery = getattr(message, "delivery", None)
        return delivery.get_status_display() if delivery else "-"
