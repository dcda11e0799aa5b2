from django.apps import AppConfig


class FilmSheetsConfig(AppConfig):
    name = "filmsheets"
    verbose_name = "Film technical sheets"
