"""Background work for music (Celery; without a broker, ``music.covers`` runs the cover filling in
a background thread of the web process instead, so that no page waits for it)."""

from __future__ import annotations

from celery import shared_task

from music import covers

COVERS_RETRIES = 3
COVERS_RETRY_BASE_SECONDS = 60  # 60 s, 120 s, 240 s (or longer when Spotify asked to wait)


@shared_task(bind=True, acks_late=True, max_retries=COVERS_RETRIES, ignore_result=True, rate_limit="30/m")
def covers_fill(self, *, track_ids: list[str]) -> dict:
    """Covers for a batch of tracks (``music.covers.covers_fill``). Idempotent: tracks that have
    a cover by now are skipped. After a fault the tracks not yet looked up are retried, later,
    up to ``COVERS_RETRIES`` times; then they keep their generated artwork until shown again or
    the schedule (``covers_fill_recent``) asks again."""
    result = covers.covers_fill(track_ids=track_ids)
    if result.deferred:
        if not self.request.is_eager and self.request.retries < self.max_retries:
            countdown = max(result.wait, COVERS_RETRY_BASE_SECONDS * 2**self.request.retries)
            raise self.retry(kwargs={"track_ids": result.deferred}, countdown=countdown)
        covers.covers_release(track_ids=result.deferred)
    return {"filled": len(result.filled), "missing": len(result.missing), "deferred": len(result.deferred)}


@shared_task(acks_late=True, ignore_result=True)
def covers_fill_recent() -> int:
    """Scheduled: queue the covers of tracks recommended in the last day that still have none."""
    return len(covers.covers_fill_recent())
