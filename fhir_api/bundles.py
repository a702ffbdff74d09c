"""A search's answer: a searchset Bundle with the total, the page's resources under their addresses,
and the links to this page and the next."""

from urllib.parse import urlencode

from .outcomes import ignored_outcome
from .search import COUNT, CURSOR, Search


def search_links(url: str, search: Search, *, here: str | None, next_cursor: str | None) -> dict[str, str]:
    """This page's link and the next's, if there is a next: the criteria the search used, the page
    size it used, and where each page starts."""
    kept = [*search.criteria, (COUNT, search.count)]
    links = {"self": f"{url}?{urlencode([*kept, (CURSOR, here)] if here else kept)}"}
    if next_cursor:
        links["next"] = f"{url}?{urlencode([*kept, (CURSOR, next_cursor)])}"
    return links


def searchset(*, resources: list[dict], total: int, base: str, links: dict[str, str], ignored: list[str]) -> dict:
    """Each resource's full URL is `<base><type>/<id>`; `links` maps a relation (self, next) to its URL."""
    entries = [
        {
            "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": "match"},
        }
        for resource in resources
    ]
    if ignored:
        entries.append({"resource": ignored_outcome(ignored), "search": {"mode": "outcome"}})
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": url} for relation, url in links.items()],
    }
    return {**bundle, "entry": entries} if entries else bundle
