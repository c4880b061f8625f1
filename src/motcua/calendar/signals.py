from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarOverride
from .services import clear_cache


@receiver([post_save, post_delete], sender=CalendarOverride)
def _override_changed(**kwargs):
    clear_cache()
