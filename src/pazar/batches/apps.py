from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BatchesConfig(AppConfig):
    verbose_name = _("Batch requests")
    name = "pazar.batches"
    label = "batches"

    def ready(self) -> None:
        # /health/ and /metrics report the batch queue; core reads it through these.
        from pazar.batches.metrics import batch_gauges
        from pazar.batches.selectors import batch_queue
        from pazar.core import metrics, selectors

        selectors.register_queue("batches", batch_queue)
        metrics.register_gauges(batch_gauges)
