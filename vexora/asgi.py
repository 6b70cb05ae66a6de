import os

from django.core.asgi import get_asgi_application

from vexora.memory import malloc_release_large_blocks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vexora.settings")
malloc_release_large_blocks()  # decoded pictures' memory goes back to the system once answered
application = get_asgi_application()
