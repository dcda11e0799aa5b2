from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from bts_site import views
from bts_site.sitemaps import PublicSitemap
from showreels import streaming
from showreels import views as showreels_views
from showreels.tree_warnings import ConfirmingSetPrivacyView

urlpatterns = [
    # Wagtail's privacy dialog, with a confirmation before pages would become public.
    path(
        "admin/pages/<int:page_id>/privacy/",
        require_admin_access(ConfirmingSetPrivacyView.as_view()),
        name="set_privacy_with_confirmation",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz/", views.healthz, name="healthz"),
    path("private/unlock/<int:page_id>/", showreels_views.unlock, name="unlock_private_page"),
    path(
        "private/terms/<int:page_id>/",
        showreels_views.accept_terms,
        name="accept_screening_terms",
    ),
    path(
        "private/more-time/<int:page_id>/",
        showreels_views.ask_for_more_time,
        name="ask_for_more_time",
    ),
    # Wagtail's own password endpoint goes through the same rate-limited check.
    path(
        "_util/authenticate_with_password/<int:restriction_id>/<int:page_id>/",
        showreels_views.unlock,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "private/stream/<str:token>/watched",
        streaming.stream_watched,
        name="private_stream_watched",
    ),
    path(
        "private/stream/<str:token>/<path:path>",
        streaming.stream_file,
        name="private_stream",
    ),
    re_path(r"^media/(?P<path>.+)$", showreels_views.serve_media, name="media"),
    path("", include(wagtail_urls)),
]

handler500 = "bts_site.views.server_error"
