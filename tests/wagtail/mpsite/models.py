"""Page types of the test site: home, blog index and posts, a form, a gallery index."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(blank=True)


class BlogIndexPage(Page):
    intro = RichTextField(blank=True)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["posts"] = BlogPage.objects.child_of(self).live().order_by("-first_published_at")
        return context


class BlogPage(Page):
    """A post; ``date`` is optional: some posts print no date at all."""

    date = models.DateField("Post date", null=True, blank=True)
    body = RichTextField(blank=True)
    content_panels: ClassVar[list[Any]] = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("body"),
    ]


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractForm):
    intro = RichTextField(blank=True)


class GalleryIndexPage(Page):
    intro = RichTextField(blank=True)
