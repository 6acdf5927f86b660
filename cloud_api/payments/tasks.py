"""Background M-Pesa jobs (Celery on Redis; ``celery -A cloud_api beat`` runs the poll)."""

from __future__ import annotations

from celery import Task, shared_task

from cloud_api.payments.models import MpesaStkAttempt


@shared_task(ignore_result=True)
def confirm_stk_attempt(attempt_id: int) -> str:
    """Settle an attempt through the STK query (after its callback, or when it is late)."""
    from cloud_api.payments.mpesa.stk import stk_confirm

    attempt = MpesaStkAttempt.objects.select_related("store").filter(pk=attempt_id).first()
    if attempt is None:
        return "missing"
    return str(stk_confirm(attempt).status)


@shared_task(ignore_result=True)
def poll_late_stk_attempts() -> dict[str, int]:
    from cloud_api.payments.mpesa.stk import stk_poll_late

    return stk_poll_late()


@shared_task(bind=True, ignore_result=True, max_retries=5)
def verify_mpesa_payments(self: Task, payment_ids: list[int]) -> dict[str, int]:
    """Check the M-Pesa codes of newly recorded tenders; M-Pesa unreachable: retried later."""
    from cloud_api.payments.mpesa.verification import payments_verify

    counts = payments_verify(payment_ids)
    if counts.get("retry"):
        raise self.retry(countdown=60 * 2**self.request.retries)
    return counts
