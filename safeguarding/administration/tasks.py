"""Background tasks of the settings pages, run by the task worker. Tasks only call a service."""

from django_tasks import task

from .services.users import password_link_send


@task()
def password_link_send_task(user_id: int) -> bool:
    """E-mail a new account's owner the link to set their password."""
    return password_link_send(user_id=user_id)
