"""Taking payment: tenders, M-Pesa prompts and claims, the customer of a sale."""
