"""Bad search parameters are 422 problems with a stable code, never a 500."""

BAD_SEARCHES = [
    {"per_page": 0},
    {"per_page": 101},
    {"page": 0},
    {"page": 10_001},
    {"page": 102},  # the schema's bound: (page - 1) * per_page stays within 10,000 results
    {"accepting_students": "maybe"},
    {"sort": "cheapest"},
    {"experience_level": "wizard"},
    {"available": "tomorrow"},
    {"available": "today", "tz": "Mars/Olympus"},
    {"min_price": -1},
    {"max_price": "ten"},
    {"min_price": True},
    {"q": "x" * 201},
    {"q": "nul\x00byte"},
    {"specialty": "a\x07b"},
    {"job_family": ""},
    {"unknown": "1"},
]


async def test_a_bad_search_parameter_is_a_422_problem(search):
    for params in BAD_SEARCHES:
        response = await search.client.get("/v1/mentors/search", params=params)

        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "VALIDATION_FAILED", params


async def test_a_price_range_upside_down_is_refused_with_its_own_code(search):
    response = await search.client.get(
        "/v1/mentors/search", params={"min_price": 5000, "max_price": 1000}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "INVALID_PRICE_RANGE"


async def test_suggest_needs_a_prefix_and_at_most_ten(search):
    for params in ({}, {"q": ""}, {"q": "a", "limit": 11}, {"q": "a\x00"}):
        response = await search.client.get("/v1/mentors/suggest", params=params)
        assert response.status_code == 422, params


async def test_only_an_admin_may_rebuild(search):
    from shared.testing.plugin import auth_headers

    response = await search.client.post(
        "/v1/admin/rebuilds/directory", headers=auth_headers("s1", "student")
    )
    assert response.status_code == 403
    assert (await search.client.post("/v1/admin/rebuilds/directory")).status_code == 401
