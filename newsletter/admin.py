"""The editors' newsletter: subscribers (counts, weekly growth, CSV export), each article's sending."""

import csv
import datetime

from django.contrib import admin
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ArticleSend, Subscriber

GROWTH_WEEKS = 12


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "frequency", "all_categories", "created_at", "confirmed_at"]
    list_filter = ["status", "frequency", "all_categories", "categories"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "confirmed_at", "unsubscribed_at", "stopped_reason"]
    filter_horizontal = ["categories"]
    actions = ["export_csv", "unsubscribe"]
    fieldsets = [
        (None, {"fields": ["email", "status", "frequency", "all_categories", "categories"]}),
        (
            _("Dates"),
            {
                "classes": ["collapse"],
                "fields": ["created_at", "confirmed_at", "unsubscribed_at", "stopped_reason"],
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        since = timezone.now() - datetime.timedelta(weeks=GROWTH_WEEKS)
        growth = (
            Subscriber.objects.filter(confirmed_at__gte=since)
            .annotate(week=TruncWeek("confirmed_at"))
            .values("week")
            .annotate(confirmed=Count("pk"))
            .order_by("-week")
        )
        counts = Subscriber.objects.aggregate(
            active=Count("pk", filter=Q(status=Subscriber.Status.ACTIVE)),
            pending=Count("pk", filter=Q(status=Subscriber.Status.PENDING)),
            unsubscribed=Count("pk", filter=Q(status=Subscriber.Status.UNSUBSCRIBED)),
            stopped=Count("pk", filter=Q(status=Subscriber.Status.STOPPED)),
            weekly=Count(
                "pk", filter=Q(status=Subscriber.Status.ACTIVE, frequency=Subscriber.Frequency.WEEKLY)
            ),
        )
        extra_context = {**(extra_context or {}), "subscriber_counts": counts, "growth": list(growth)}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(description=_("Export the selected subscribers as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="abonnes.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["email", "status", "frequency", "categories", "created_at", "confirmed_at", "stopped_reason"]
        )
        for subscriber in queryset.prefetch_related("categories").order_by("email"):
            categories = (
                "" if subscriber.all_categories else "|".join(c.slug for c in subscriber.categories.all())
            )
            writer.writerow(
                [
                    # A leading = + - @ would make a spreadsheet run the cell as a formula.
                    "'" + subscriber.email if subscriber.email[:1] in "=+-@" else subscriber.email,
                    subscriber.status,
                    subscriber.frequency,
                    categories,
                    subscriber.created_at.isoformat(),
                    subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                    subscriber.stopped_reason,
                ]
            )
        return response

    @admin.action(description=_("Unsubscribe the selected subscribers"), permissions=["change"])
    def unsubscribe(self, request, queryset):
        count = 0
        for subscriber in queryset.exclude(
            status__in=[Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.STOPPED]
        ):
            services.subscriber_unsubscribe(subscriber=subscriber)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d subscriber unsubscribed.", "%(count)d subscribers unsubscribed.", count)
            % {"count": count},
        )


@admin.register(ArticleSend)
class ArticleSendAdmin(admin.ModelAdmin):
    list_display = ["article", "queued_at", "recipients", "queued_count", "sent_count", "failed_count"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    date_hierarchy = "queued_at"
    list_filter = ["queued_at"]
    readonly_fields = ["article", "queued_at", "recipients"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                queued=Count(
                    "article__delivery",
                    filter=Q(
                        article__delivery__status__in=["pending", "sending"],
                        article__delivery__in_digest=False,
                    ),
                ),
                sent=Count(
                    "article__delivery",
                    filter=Q(article__delivery__status="sent", article__delivery__in_digest=False),
                ),
                failed=Count(
                    "article__delivery",
                    filter=Q(article__delivery__status="failed", article__delivery__in_digest=False),
                ),
            )
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("queued"), ordering="queued")
    def queued_count(self, obj):
        return obj.queued

    @admin.display(description=_("sent"), ordering="sent")
    def sent_count(self, obj):
        return obj.sent

    @admin.display(description=_("failed"), ordering="failed")
    def failed_count(self, obj):
        return obj.failed
