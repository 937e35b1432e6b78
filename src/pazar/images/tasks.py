"""Background tasks: ids in, a service call, nothing else (safe to run twice)."""

from django_tasks import task

from pazar.images import services


@task()
def process_image_download(download_id: int) -> None:
    services.image_download_run(download_id=download_id)
