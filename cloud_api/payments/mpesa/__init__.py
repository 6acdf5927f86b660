"""M-Pesa payments: STK prompts, C2B till-number payments and the check of codes typed in
offline. The HTTP client is ``cloud_api.integrations.daraja``."""
