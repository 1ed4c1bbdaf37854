"""The editors' audience dashboard, in the admin: most read articles, views per day, referring domains.

It takes the place of the DailyViews list: staff with the view permission on
"daily views" see it; the figures are never edited by hand.
"""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from blog.models import Article

from . import selectors, services
from .charts import bar_chart
from .models import DailyViews

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def period_of(request, default: int = 30) -> int:
    """The ``jours`` parameter if it is one of the offered periods, else ``default``."""
    value = request.GET.get("jours", "")
    return int(value) if value in {str(days) for days in selectors.PERIODS} else default


class Echo:
    """A file whose ``write`` gives the line back, for streaming csv.writer's output."""

    def write(self, value):
        return value


@admin.register(DailyViews)
class AudienceAdmin(admin.ModelAdmin):
    # No list_display, filters or search: the dashboard replaces the stock list.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("article/<int:pk>/", wrap(self.article_view), name=f"{prefix}_article"),
            path("export.csv", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def check_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        # What this process's cache holds goes in first: with a cache of its own
        # (local memory, as under `make run`), the worker's flush never sees it.
        services.counts_flush()

    def context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "periods": selectors.PERIODS,
            **extra,
        }

    def changelist_view(self, request, extra_context=None):
        """The dashboard, in place of the stock list of rows."""
        self.check_view(request)
        days = period_of(request)
        context = self.context(
            request,
            title=_("Audience"),
            days=days,
            week=selectors.most_read(days=7),
            month=selectors.most_read(days=30),
            referrers=selectors.top_referrers(days=days),
        )
        return TemplateResponse(request, "audience/dashboard.html", context)

    def article_view(self, request, pk):
        self.check_view(request)
        article = get_object_or_404(Article, pk=pk)
        days = period_of(request)
        series = selectors.views_per_day(article=article, days=days)
        context = self.context(
            request,
            title=_("Views of “%(title)s”") % {"title": article.title},
            article=article,
            days=days,
            chart=bar_chart(series),
            total=sum(views for _day, views in series),
            referrers=selectors.top_referrers(days=days, article=article),
        )
        return TemplateResponse(request, "audience/article.html", context)

    def export_view(self, request):
        self.check_view(request)
        days = period_of(request)
        writer = csv.writer(Echo())
        header = [_("Day"), _("Article id"), _("Title"), _("Views")]
        rows = (
            [csv_safe(day.isoformat()), str(article_id), csv_safe(title), str(views)]
            for day, article_id, title, views in selectors.export_rows(days=days)
        )
        response = StreamingHttpResponse(
            csv_lines(writer, header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audience-{days}-jours.csv"'
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Rows are read on the dashboard; there is nothing to edit.
        raise Http404


def csv_lines(writer, header, rows):
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
