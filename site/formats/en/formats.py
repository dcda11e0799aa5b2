"""Dates as the owner writes them (day/month/year), in every admin form, including Wagtail's
date pickers (WAGTAIL_DATE_FORMAT, WAGTAIL_DATETIME_FORMAT) and scheduled publishing."""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
