from smtplib import SMTPException

from celery import shared_task

from .password_reset_mail import password_reset_send


# A mail server that is down for a moment is tried again a few times; the person can ask again after.
@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=4,
    soft_time_limit=60,
    time_limit=90,
)
def send_password_reset(email: str, language: str) -> None:
    password_reset_send(email=email, language=language)
