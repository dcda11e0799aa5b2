"""The film sheet's body: the backstage blocks of the gallery app."""

from gallery.blocks import BackstageStreamBlock


class FilmSheetStreamBlock(BackstageStreamBlock):
    """Galleries, video, text and quotes below a film's technical data."""
