"""WhatsApp Business Cloud API: the Graph client, the webhook and a local fake Graph server."""
