from django.apps import AppConfig


class MusicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "music"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from music.models import Track
        from music.recommender import catalog_index_invalidate

        def catalog_track_changed(sender, instance, **kwargs):
            # Admin edits and deletions of catalog tracks reach every process's recommender index
            # (load_catalog's bulk writes send no signals; it invalidates the index itself).
            if instance.in_catalog:
                catalog_index_invalidate()

        post_save.connect(catalog_track_changed, sender=Track, dispatch_uid="music_catalog_track_saved")
        post_delete.connect(catalog_track_changed, sender=Track, dispatch_uid="music_catalog_track_deleted")
