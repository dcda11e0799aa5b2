from django.core.exceptions import ValidationError
from django.utils import timezone

FIRST_FILM_YEAR = 1895  # the Lumière brothers' first public screening


def validate_film_year(value):
    last_year = timezone.now().year + 1
    if value is not None and not FIRST_FILM_YEAR <= value <= last_year:
        raise ValidationError(
            f"Enter a year between {FIRST_FILM_YEAR} and {last_year}.", code="film_year"
        )
