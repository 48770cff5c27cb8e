"""Server-side paging for long lists on pages (GOV.UK pagination component; no JavaScript).

Issue 17: lists that grow with the years (reports, outcomes) are paged so a page's cost does
not depend on the authority's history.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

PAGE_SIZE = 50


def page_of(
    items: Any,
    request: HttpRequest,
    key: str = "page",
    size: int = PAGE_SIZE,
    *,
    count: int | None = None,
) -> Page[Any]:
    """The page of ``items`` named by the request's ``key`` parameter (bad numbers give the
    first or last page, as Django's ``get_page``). ``count``: how many ``items`` holds, when the
    caller knows it without counting them (``items.count()`` otherwise)."""
    paginator = Paginator(items, size)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached property
    return paginator.get_page(request.GET.get(key))


def govuk_pagination(
    request: HttpRequest,
    page: Page[Any],
    key: str = "page",
    anchor: str = "",
    label: str = "",
) -> dict[str, Any] | None:
    """Parameters for ``govukPagination``, or None for a single page. Links keep the request's
    other parameters (filters, another list's page). ``label`` names the navigation landmark
    where a page has more than one paged list (each landmark then has its own name)."""
    if page.paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        query = request.GET.copy()
        query[key] = str(number)
        return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")

    return {
        "previous": {"href": href(page.previous_page_number()), "text": _("Previous")}
        if page.has_previous()
        else None,
        "next": {"href": href(page.next_page_number()), "text": _("Next")}
        if page.has_next()
        else None,
        "items": [
            {"number": n, "href": href(n), "current": n == page.number}
            if isinstance(n, int)
            else {"ellipsis": True}
            for n in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ],
        "landmarkLabel": label or _("Pages of the list"),
    }
