"""The Meilisearch backend at its HTTP boundary, against a loopback server that records requests.

No Meilisearch runs here; this checks what our adapter sends (settings, documents, search
parameters, the rebuild's swap) and how it reads the answers. The behaviour of a real server
is covered by the contract suite when SEARCH_TEST_MEILISEARCH_URL is given.
"""

import json
import threading
from datetime import UTC, date, datetime
from http.server import ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from search.adapters.meilisearch_backend import MeilisearchBackend, MeilisearchTaskFailed
from search.adapters.meilisearch_documents import SETTINGS
from search.domain.document import FACETS, FILTERABLE, SEARCHABLE, Facts, Profile, build_document
from search.domain.experience import ExperienceLevel
from search.domain.query import MentorSearch, SortOrder, TimeRange
from shared.errors import Unavailable
from shared.testing.fake_http import JsonHandler

DOCUMENT = build_document(
    Facts(
        "m1",
        profile=Profile(
            display_name="Ada",
            title="Staff Engineer",
            company="Engines",
            bio="Bio",
            specialties=("Python",),
            job_family="software_engineering",
            years_experience=14,
            timezone="UTC",
            accepting_students=True,
        ),
        price=(9000, "EUR"),
        available_days=(date(2026, 3, 3),),
        next_available_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
    )
)


class FakeMeilisearch:
    """Answers like Meilisearch v1: every task succeeds unless told to fail."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict | list | None]] = []
        self.failing: dict[str, str] = {}  # request path -> error code of its task
        self.search_response: dict = {"hits": [], "totalHits": 0, "facetDistribution": {}}
        self._tasks: dict[int, str] = {}
        fake = self

        class Handler(JsonHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                path = urlparse(self.path).path
                fake.requests.append((self.command, self.path, body))
                if self.command == "GET" and path.startswith("/tasks/"):
                    uid = int(path.rsplit("/", 1)[1])
                    code = fake.failing.get(fake._tasks.get(uid, ""))
                    failed = code is not None
                    self.answer(
                        200,
                        {
                            "uid": uid,
                            "indexUid": "x",
                            "status": "failed" if failed else "succeeded",
                            "type": fake._tasks.get(uid, "x"),
                            "error": {"code": code} if failed else None,
                            "enqueuedAt": "2026-03-02T09:00:00.000000Z",
                        },
                    )
                elif path.endswith("/search"):
                    self.answer(200, fake.search_response)
                else:
                    uid = len(fake._tasks) + 1
                    fake._tasks[uid] = path
                    self.answer(
                        202,
                        {
                            "taskUid": uid,
                            "indexUid": "mentors",
                            "status": "enqueued",
                            "type": "x",
                            "enqueuedAt": "2026-03-02T09:00:00.000000Z",
                        },
                    )

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeMeilisearch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent(self, method: str, path: str) -> list:
        """Bodies of the requests to exactly this path (query string aside)."""
        return [body for m, p, body in self.requests if m == method and urlparse(p).path == path]


@pytest.fixture
def meili():
    with FakeMeilisearch() as fake:
        yield fake


@pytest.fixture
def backend(meili) -> MeilisearchBackend:
    return MeilisearchBackend(url=meili.url, api_key="key", index_uid="mentors")


async def test_start_creates_the_index_and_applies_the_documents_settings(meili, backend):
    await backend.prepare()

    assert meili.sent("POST", "/indexes") == [{"uid": "mentors", "primaryKey": "mentor_id"}]
    [settings] = meili.sent("PATCH", "/indexes/mentors/settings")
    assert settings == SETTINGS
    assert settings["searchableAttributes"] == list(SEARCHABLE)
    assert set(FACETS) <= set(settings["filterableAttributes"]) == set(FILTERABLE)
    assert settings["typoTolerance"]["enabled"] is True
    assert meili.sent("GET", "/tasks/2"), "the settings task was awaited"


async def test_an_existing_index_is_fine_at_start_but_any_other_failed_task_raises(meili, backend):
    meili.failing["/indexes"] = "index_already_exists"
    await backend.prepare()
    assert meili.sent("PATCH", "/indexes/mentors/settings")

    meili.failing["/indexes/mentors/documents"] = "invalid_document_fields"
    with pytest.raises(MeilisearchTaskFailed, match="invalid_document_fields"):
        await backend.index([DOCUMENT], uow=None)


async def test_documents_are_sent_whole_with_unknown_values_left_out(meili, backend):
    await backend.index([DOCUMENT], uow=None)

    [[sent]] = meili.sent("POST", "/indexes/mentors/documents")
    assert sent["mentor_id"] == "m1" and sent["specialty_keys"] == ["python"]
    assert sent["experience_level"] == "staff" and sent["price_amount"] == 9000
    assert sent["available_days"] == ["2026-03-03"]
    assert sent["next_available_ts"] == int(datetime(2026, 3, 3, 9, tzinfo=UTC).timestamp())
    assert "rating_avg" not in sent and "open_seats" not in sent


async def test_a_search_becomes_filters_sort_facets_and_a_page(meili, backend):
    meili.search_response = {
        "hits": [
            {
                **{k: v for k, v in json.loads(json.dumps(_body())).items()},
                "_formatted": {"title": "<mark>Staff</mark> Engineer", "bio": "Bio"},
            }
        ],
        "totalHits": 41,
        "facetDistribution": {
            "job_family": {"software_engineering": 41},
            "specialty_keys": {"python": 3},
        },
    }
    query = MentorSearch(
        q="staff",
        job_family="software_engineering",
        min_price=1000,
        max_price=20_000,
        experience_levels=(ExperienceLevel.staff,),
        available=TimeRange(start=1_000_000, end=1_086_400),
        accepting_students=True,
        specialties=("python", 'a "quoted" one'),
        sort=SortOrder.price_asc,
        page=3,
        per_page=10,
    )

    page = await backend.search(query)

    [sent] = meili.sent("POST", "/indexes/mentors/search")
    assert sent["q"] == "staff"
    assert sent["filter"] == [
        'job_family = "software_engineering"',
        "price_amount >= 1000",
        "price_amount <= 20000",
        'experience_level IN ["staff"]',
        "accepting_students = true",
        'specialty_keys IN ["python", "a \\"quoted\\" one"]',
        "(next_available_ts 1000000 TO 1086399 OR available_day_starts 913601 TO 1086399)",
    ]
    assert sent["sort"] == ["price_amount:asc", "mentor_id:asc"]
    assert (sent["page"], sent["hitsPerPage"], sent["matchingStrategy"]) == (3, 10, "all")
    assert sent["facets"] == list(FACETS)
    assert page.total == 41
    assert page.facets == {
        "job_family": {"software_engineering": 41},
        "experience_level": {},
        "specialty": {"python": 3},
    }
    [hit] = page.hits
    assert hit.document == DOCUMENT
    assert hit.highlights == {"title": "<mark>Staff</mark> Engineer"}


async def test_a_rebuild_fills_a_fresh_index_swaps_it_in_and_drops_the_old_one(meili, backend):
    async def batches():
        yield [DOCUMENT]
        yield [DOCUMENT]

    assert await backend.replace_all(batches()) == 2

    [created] = meili.sent("POST", "/indexes")
    fresh = created["uid"]
    assert fresh.startswith("mentors_") and fresh != "mentors"
    assert meili.sent("PATCH", f"/indexes/{fresh}/settings") == [SETTINGS]
    assert len(meili.sent("POST", f"/indexes/{fresh}/documents")) == 2
    assert meili.sent("POST", "/swap-indexes") == [[{"indexes": ["mentors", fresh]}]]
    deletes = [p for m, p, _ in meili.requests if m == "DELETE"]
    assert deletes == [f"/indexes/{fresh}"]


async def test_an_unreachable_server_is_a_clear_unavailable_error():
    backend = MeilisearchBackend(url="http://127.0.0.1:9", api_key="", index_uid="mentors")
    with pytest.raises(Unavailable) as raised:
        await backend.search(MentorSearch(q="x"))
    assert raised.value.code == "SEARCH_UNAVAILABLE"


def _body() -> dict:
    from search.adapters.meilisearch_documents import to_meilisearch

    return to_meilisearch(DOCUMENT)
