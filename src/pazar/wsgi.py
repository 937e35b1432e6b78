import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pazar.settings")

application = get_wsgi_application()

# What the process built to start (settings, apps, models, URL patterns) lives as long as it
# does: kept out of the collector's full passes, which otherwise walk all of it again and
# again while requests allocate their rows (docs/performance.md, "The collector's passes").
gc.collect()
gc.freeze()
