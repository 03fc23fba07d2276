"""URLs: the sitemap (wagtail.contrib.sitemaps) and Wagtail's page tree."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.contrib.sitemaps.views import sitemap

urlpatterns = [
    path("sitemap.xml", sitemap),
    path("", include(wagtail_urls)),
]
