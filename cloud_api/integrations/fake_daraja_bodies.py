"""The JSON bodies the FAKE Daraja server sends, shaped as Daraja publishes them: errors, the
gateway's spike arrest, the STK callback, the C2B confirmation and the Transaction Status
result."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from cloud_api.integrations.fake_daraja_records import (
    NAIROBI,
    OUTCOMES,
    FakePush,
    FakeTransaction,
)

SPIKE_ARREST = {
    "fault": {
        "faultstring": "Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=5, "
        "periodInMicroseconds=1000000, maxBurstMessageCount=5.0}",
        "detail": {"errorcode": "policies.ratelimit.SpikeArrestViolation"},
    }
}


def error(code: str, message: str) -> dict[str, Any]:
    return {"requestId": secrets.token_hex(8), "errorCode": code, "errorMessage": message}


def stk_callback(push: FakePush) -> dict[str, Any]:
    """The STK callback for a prompt the customer has answered."""
    code, description = OUTCOMES[push.outcome]
    callback: dict[str, Any] = {
        "MerchantRequestID": push.merchant_request_id,
        "CheckoutRequestID": push.checkout_request_id,
        "ResultCode": code,
        "ResultDesc": description,
    }
    if code == 0:
        callback["CallbackMetadata"] = {
            "Item": [
                {"Name": "Amount", "Value": float(push.body["Amount"])},
                {"Name": "MpesaReceiptNumber", "Value": push.receipt},
                {"Name": "Balance"},
                {"Name": "TransactionDate", "Value": push.transaction_date},
                {"Name": "PhoneNumber", "Value": int(push.body["PhoneNumber"])},
            ]
        }
    return {"Body": {"stkCallback": callback}}


def c2b_confirmation(
    paid: FakeTransaction, *, bill_ref: str, first_name: str, kind: str
) -> dict[str, Any]:
    """The C2B confirmation of a payment (MSISDN masked, as Daraja now sends it)."""
    return {
        "TransactionType": kind,
        "TransID": paid.receipt,
        "TransTime": str(paid.when),
        "TransAmount": f"{paid.amount:.2f}",
        "BusinessShortCode": paid.shortcode,
        "BillRefNumber": bill_ref,
        "InvoiceNumber": "",
        "OrgAccountBalance": "",
        "ThirdPartyTransID": "",
        "MSISDN": f"{paid.phone[:5]}****{paid.phone[-3:]}",
        "FirstName": first_name,
        "MiddleName": "",
        "LastName": "",
    }


def transaction_status_result(
    found: FakeTransaction | None, transaction_id: str, originator_id: str
) -> dict[str, Any]:
    """The Transaction Status result Daraja POSTs to the ResultURL (``found`` is None for a
    receipt it has no record of)."""
    conversation = f"AG_{datetime.now(NAIROBI):%Y%m%d}_{secrets.token_hex(10)}"
    result: dict[str, Any] = {
        "ResultType": 0,
        "OriginatorConversationID": originator_id,
        "ConversationID": conversation,
        "TransactionID": transaction_id if found else secrets.token_hex(5).upper(),
        "ReferenceData": {"ReferenceItem": {"Key": "Occasion"}},
    }
    if found is None:
        result.update(ResultCode=1, ResultDesc="The transaction receipt number does not exist.")
        return {"Result": result}
    result.update(
        ResultCode=0,
        ResultDesc="The service request is processed successfully.",
        ResultParameters={
            "ResultParameter": [
                {"Key": "DebitPartyName", "Value": f"{found.phone} - JOHN DOE"},
                {"Key": "CreditPartyName", "Value": f"{found.shortcode} - FAKE SHOP"},
                {"Key": "OriginatorConversationID", "Value": originator_id},
                {"Key": "InitiatedTime", "Value": found.when},
                {"Key": "DebitAccountType", "Value": "MMF Account For Customer"},
                {"Key": "DebitPartyCharges"},
                {"Key": "TransactionReason"},
                {"Key": "ReasonType", "Value": "Pay Merchant"},
                {"Key": "TransactionStatus", "Value": "Completed"},
                {"Key": "FinalisedTime", "Value": found.when},
                {"Key": "Amount", "Value": float(found.amount)},
                {"Key": "ConversationID", "Value": conversation},
                {"Key": "ReceiptNo", "Value": found.receipt},
            ]
        },
    )
    return {"Result": result}
