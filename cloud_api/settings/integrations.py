"""Outside services: M-Pesa (Safaricom Daraja), WhatsApp Business, and the demo's local fakes
of both."""

from __future__ import annotations

import os

from cloud_api.settings.environment import env_bool

# --- M-Pesa (Safaricom Daraja; docs/cloud.md "M-Pesa (Daraja)") ------------------------------
MPESA_BASE_URL = os.environ.get("ASIRIA_MPESA_BASE_URL", "https://sandbox.safaricom.co.ke")
MPESA_CONSUMER_KEY = os.environ.get("ASIRIA_MPESA_CONSUMER_KEY", "")
MPESA_CONSUMER_SECRET = os.environ.get("ASIRIA_MPESA_CONSUMER_SECRET", "")
# The unguessable path part of every callback URL Daraja is given; empty: callbacks refused.
MPESA_CALLBACK_SECRET = os.environ.get("ASIRIA_MPESA_CALLBACK_SECRET", "")
MPESA_CALLBACK_BASE_URL = os.environ.get("ASIRIA_MPESA_CALLBACK_BASE_URL", "").rstrip("/")
# Fernet key that encrypts the stores' pass keys at rest (empty: derived from SECRET_KEY).
MPESA_ENCRYPTION_KEY = os.environ.get("ASIRIA_MPESA_ENCRYPTION_KEY", "")
# Transaction Status (checks codes typed in offline): the API initiator and its credential.
MPESA_INITIATOR_NAME = os.environ.get("ASIRIA_MPESA_INITIATOR_NAME", "")
MPESA_SECURITY_CREDENTIAL = os.environ.get("ASIRIA_MPESA_SECURITY_CREDENTIAL", "")
MPESA_MAX_TRANSACTION_CENTS = 100 * int(os.environ.get("ASIRIA_MPESA_MAX_KES", "250000"))
MPESA_QUERY_AFTER_SECONDS = int(os.environ.get("ASIRIA_MPESA_QUERY_AFTER_SECONDS", "20"))
MPESA_STK_TIMEOUT_MINUTES = int(os.environ.get("ASIRIA_MPESA_STK_TIMEOUT_MINUTES", "3"))
MPESA_HTTP_TIMEOUT = float(os.environ.get("ASIRIA_MPESA_HTTP_TIMEOUT", "10"))
MPESA_RETRIES = int(os.environ.get("ASIRIA_MPESA_RETRIES", "3"))
MPESA_RETRY_BACKOFF = float(os.environ.get("ASIRIA_MPESA_RETRY_BACKOFF", "0.5"))

# --- WhatsApp Business (docs/cloud.md, "WhatsApp Business") ----------------------------------
# Empty token or phone number id: nothing is sent, notifications stay in the inbox.
ASIRIA_WHATSAPP_GRAPH_URL = os.environ.get(
    "ASIRIA_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0"
)
ASIRIA_WHATSAPP_TOKEN = os.environ.get("ASIRIA_WHATSAPP_TOKEN", "")
ASIRIA_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("ASIRIA_WHATSAPP_PHONE_NUMBER_ID", "")
ASIRIA_WHATSAPP_APP_SECRET = os.environ.get("ASIRIA_WHATSAPP_APP_SECRET", "")
ASIRIA_WHATSAPP_VERIFY_TOKEN = os.environ.get("ASIRIA_WHATSAPP_VERIFY_TOKEN", "")
ASIRIA_WHATSAPP_TEMPLATE = os.environ.get("ASIRIA_WHATSAPP_TEMPLATE", "asiria_alert")
ASIRIA_WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("ASIRIA_WHATSAPP_TEMPLATE_LANGUAGE", "en")
ASIRIA_WHATSAPP_TIMEOUT_S = float(os.environ.get("ASIRIA_WHATSAPP_TIMEOUT_S", "10"))
ASIRIA_WHATSAPP_MAX_ATTEMPTS = int(os.environ.get("ASIRIA_WHATSAPP_MAX_ATTEMPTS", "8"))
# A send whose worker died mid-call is resent only after this long without Graph's "sent"
# status webhook for it (docs/decisions.md: WhatsApp delivery is at most once per message).
ASIRIA_WHATSAPP_RESEND_AFTER_S = int(os.environ.get("ASIRIA_WHATSAPP_RESEND_AFTER_S", "600"))
ASIRIA_TERMINAL_SILENT_MINUTES = int(os.environ.get("ASIRIA_TERMINAL_SILENT_MINUTES", "120"))

# --- Customers on WhatsApp (docs/cloud.md, "Customers and campaigns") -------------------------
# The approved template of a digital receipt: body "Receipt {{1}}, total {{2}}. Items: {{3}}."
ASIRIA_WHATSAPP_RECEIPT_TEMPLATE = os.environ.get(
    "ASIRIA_WHATSAPP_RECEIPT_TEMPLATE", "asiria_receipt"
)
# Campaign messages an organisation may send per day (its time zone's calendar day).
ASIRIA_CUSTOMER_MESSAGES_PER_DAY = int(os.environ.get("ASIRIA_CUSTOMER_MESSAGES_PER_DAY", "1000"))

# --- The demo's fakes (scripts/demo.py) ------------------------------------------------------
# Set by ``make demo`` only: the cloud then talks to local FAKE Daraja and WhatsApp servers,
# says so on its start page, and serves /demo/whatsapp/ (what the fake Graph received).
ASIRIA_DEMO_FAKES = env_bool("ASIRIA_DEMO_FAKES", False)
ASIRIA_DEMO_WORKER = os.environ.get("ASIRIA_DEMO_WORKER", "")  # "celery" | "eager", for the page
