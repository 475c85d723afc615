"""Typos, accents and case do not stop a search; matched words come back highlighted."""

import pytest


@pytest.fixture
async def mentors(search, facts):
    await search.apply(
        facts.profile(
            "py",
            display_name="Guido Example",
            title="Python core developer",
            bio="Async Python and packaging.",
            specialties=["Python"],
        ),
        facts.profile(
            "k8s",
            display_name="Kelsey Example",
            title="Platform engineer",
            bio="Running Kubernetes clusters in production.",
            specialties=["Kubernetes", "Go"],
        ),
        facts.profile(
            "ml",
            display_name="Andrew Example",
            title="Research scientist",
            bio="Teaching machine learning from scratch.",
            specialties=["Machine Learning"],
            job_family="data_science",
        ),
        facts.profile(
            "zoe",
            display_name="Zoë Ångström",
            title="Café owner turned CTO",
            bio="Résumé reviews.",
            specialties=["Leadership"],
        ),
    )


TYPED = [
    ("pythn", ["py"]),
    ("kubernets", ["k8s"]),
    ("mashine lerning", ["ml"]),
    ("Kubernetes", ["k8s"]),
    ("KUBERNETES clusters", ["k8s"]),
    ("zoe angstrom", ["zoe"]),
    ("ZOË", ["zoe"]),
    ("cafe", ["zoe"]),
    ("résumé", ["zoe"]),
    ("resume", ["zoe"]),
    ("kube", ["k8s"]),
]


async def test_typos_accents_and_case_find_the_right_mentor(search, mentors):
    found = {typed: await search.ids(q=typed) for typed, _ in TYPED}
    assert found == dict(TYPED)


async def test_every_word_must_match_so_unrelated_words_narrow_to_nothing(search, mentors):
    assert await search.ids(q="python kubernetes") == []
    assert await search.ids(q="zzzzqqq") == []


async def test_matched_words_are_highlighted_in_the_fields_they_matched(search, mentors):
    [hit] = (await search.search(q="pythn"))["items"]
    assert hit["highlights"]["title"] == "<mark>Python</mark> core developer"
    assert hit["highlights"]["specialties"] == ["<mark>Python</mark>"]
    assert "display_name" not in hit["highlights"]

    [hit] = (await search.search(q="zoe"))["items"]
    assert hit["highlights"]["display_name"] == "<mark>Zoë</mark> Ångström"


async def test_a_name_weighs_more_than_a_bio(search, facts):
    await search.apply(
        facts.profile("bio", display_name="Someone Else", bio="I worked with Grace for years."),
        facts.profile("name", display_name="Grace Hopper", bio="Compilers."),
    )
    assert await search.ids(q="grace") == ["name", "bio"]


async def test_type_ahead_suggests_mentors_by_the_start_of_their_words(search, mentors, facts):
    response = await search.client.get("/v1/mentors/suggest", params={"q": "kub"})
    assert response.status_code == 200
    assert [s["mentor_id"] for s in response.json()["items"]] == ["k8s"]

    await search.apply(*(facts.profile(f"p{n}", display_name=f"Pat {n}") for n in range(15)))
    many = await search.client.get("/v1/mentors/suggest", params={"q": "pa"})
    assert len(many.json()["items"]) == 10
    few = await search.client.get("/v1/mentors/suggest", params={"q": "pa", "limit": 3})
    assert len(few.json()["items"]) == 3
    assert (await search.client.get("/v1/mentors/suggest", params={"q": "%%"})).json() == {
        "items": []
    }
