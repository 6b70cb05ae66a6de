import os
import threading

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from vexora.memory import malloc_release_large_blocks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vexora.settings")
malloc_release_large_blocks()  # decoded pictures' memory goes back to the system once answered
application = get_wsgi_application()

# runserver (`make run`) imports this module in the process that serves: load the mood model
# there in the background, so the first scan does not wait for it. Off by default (tests,
# commands); under gunicorn each worker warms up after the fork (gunicorn.conf.py), never a
# master that forks afterwards.
if settings.MOOD_WARMUP:
    from moods.services import detector_warm

    threading.Thread(target=detector_warm, name="mood-model-warmup", daemon=True).start()
