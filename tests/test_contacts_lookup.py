"""hrtrust.domain.contacts: forgiving references to people, ids, and effective cadences."""

from __future__ import annotations

import pytest

from hrtrust.domain.contacts import cadence_of, fold, id_key, new_id, resolve, resolve_all
from hrtrust.errors import AmbiguousError, NotFoundError
from hrtrust.models import Config, Contact, ContactsFile

PEOPLE = [
    Contact(id="c1", name="Maria Chen", dept="Engineering"),
    Contact(id="c2", name="Mark Lee", dept="Sales"),
    Contact(id="c3", name="王小明", dept="製造部"),
    Contact(id="c4", name="Ｊｏｈｎ Ｓｍｉｔｈ"),  # typed with full-width letters
    Contact(id="c10", name="Ana de la Cruz"),
]


def name_of(ref: str) -> str:
    return resolve(ref, PEOPLE).name


@pytest.mark.parametrize("ref", ["c2", "C2", " c2 ", "c10", "C10"])
def test_resolve_by_id_in_any_case(ref: str) -> None:
    expected = {"c2": "Mark Lee", "c10": "Ana de la Cruz"}[ref.strip().lower()]
    assert name_of(ref) == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("Maria Chen", "Maria Chen"),
        ("maria chen", "Maria Chen"),
        ("  MARIA   chen ", "Maria Chen"),
        ("mari", "Maria Chen"),
        ("maria c", "Maria Chen"),
        ("mariach", "Maria Chen"),  # spaces may be left out
        ("chen", "Maria Chen"),  # a surname prefix
        ("CHE", "Maria Chen"),
        ("lee", "Mark Lee"),
        ("mark", "Mark Lee"),
        ("cruz", "Ana de la Cruz"),
        ("王小明", "王小明"),
        ("王小", "王小明"),
        ("王", "王小明"),
        ("小明", "王小明"),  # the given name, as colleagues call him
        ("john", "Ｊｏｈｎ Ｓｍｉｔｈ"),  # half-width typed, full-width stored
        ("smith", "Ｊｏｈｎ Ｓｍｉｔｈ"),
        ("ＭＡＲＩＡ", "Maria Chen"),  # full-width typed, half-width stored
        ("ｃ２", "Mark Lee"),  # a full-width id
    ],
)
def test_resolve_by_name_or_prefix(ref: str, expected: str) -> None:
    assert name_of(ref) == expected


def test_fold_normalises_width_case_and_spaces() -> None:
    assert fold("  Ｍａｒｉａ\u3000 CHEN ") == "maria chen"
    assert fold("Straße") == "strasse"


@pytest.mark.parametrize(
    ("ref", "suggestion"),
    [
        ("Maira Chen", "Maria Chen"),
        ("mraia", "Maria Chen"),
        ("chne", "Maria Chen"),
        ("markk", "Mark Lee"),
    ],
)
def test_typo_suggests_the_closest_name(ref: str, suggestion: str) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve(ref, PEOPLE)
    assert info.value.exit_code == 3
    assert info.value.message == f"no contact matches {ref!r}"
    assert info.value.hint == f"did you mean {suggestion}?"


def test_nothing_close_points_to_the_list() -> None:
    with pytest.raises(NotFoundError) as info:
        resolve("zzzz", PEOPLE)
    assert info.value.hint == "see `hrtrust contact list`, or add them with `hrtrust contact add`"


@pytest.mark.parametrize("ref", ["", "   "])
def test_empty_reference_matches_nobody(ref: str) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve(ref, PEOPLE)
    assert info.value.message == "an empty name matches nobody"


def test_ambiguous_prefix_lists_candidates_with_ids() -> None:
    with pytest.raises(AmbiguousError) as info:
        resolve("Ma", PEOPLE)
    assert info.value.exit_code == 4
    assert info.value.message == "'Ma' matches 2 people"
    assert info.value.hint == "use one of: Maria Chen (c1), Mark Lee (c2)"


def test_ambiguous_list_is_capped() -> None:
    crowd = [Contact(id=f"c{i}", name=f"Sam {i}") for i in range(1, 12)]
    with pytest.raises(AmbiguousError) as info:
        resolve("sam", crowd)
    assert info.value.message == "'sam' matches 11 people"
    listed = ", ".join(f"Sam {i} (c{i})" for i in range(1, 9))
    assert info.value.hint == f"use one of: {listed} and 3 more"


def test_exact_name_beats_a_longer_name_with_the_same_start() -> None:
    people = [Contact(id="c1", name="Li"), Contact(id="c2", name="Li Wei")]
    assert resolve("li", people).id == "c1"
    assert resolve("li w", people).id == "c2"


def test_two_people_with_the_same_name() -> None:
    twins = [
        Contact(id="c1", name="Maria Chen", dept="Engineering"),
        Contact(id="c2", name="Mark Lee"),
        Contact(id="c3", name="Maria Chen", dept="Sales"),
    ]
    assert resolve("c1", twins).dept == "Engineering"
    assert resolve("C3", twins).dept == "Sales"
    for ref in ("Maria Chen", "maria", "chen"):
        with pytest.raises(AmbiguousError) as info:
            resolve(ref, twins)
        assert info.value.hint == "use one of: Maria Chen (c1), Maria Chen (c3)"


def test_resolve_all_keeps_order_and_drops_repeats() -> None:
    found = resolve_all(["lee", "c1", "Mark Lee", "王"], PEOPLE)
    assert [c.id for c in found] == ["c2", "c1", "c3"]


def test_ids_sort_by_number_and_are_never_reused() -> None:
    assert sorted(PEOPLE, key=id_key)[-1].id == "c10"
    doc = ContactsFile(next_id=3, contact=[Contact(id="c3", name="A")])
    assert new_id(doc) == "c4"
    assert doc.next_id == 5
    assert new_id(ContactsFile(next_id=0)) == "c1"


# -- cadence -----------------------------------------------------------------------------------

CONFIG = Config(cadence={"ally": "2w", "manager": "3w", "peer": "1m", "default": "6w"})


@pytest.mark.parametrize(
    ("every", "tags", "expected"),
    [
        ("10d", ["ally"], "10d"),  # the contact's own cadence wins, even over a shorter tag
        ("3m", ["ally"], "3m"),
        (None, ["peer", "manager"], "3w"),  # shortest of the tag cadences
        (None, ["manager", "ally", "peer"], "2w"),
        (None, ["peer"], "1m"),
        (None, ["vip", "peer"], "1m"),  # unknown tags do not count
        (None, ["vip"], "6w"),  # then the default
        (None, [], "6w"),
    ],
)
def test_cadence_of(every: str | None, tags: list[str], expected: str) -> None:
    contact = Contact(id="c1", name="A", every=every, tags=tags)
    assert cadence_of(contact, CONFIG) == expected


def test_cadence_default_when_config_has_none() -> None:
    config = Config(cadence={"ally": "2w"})
    assert cadence_of(Contact(id="c1", name="A"), config) == "6w"
    assert cadence_of(Contact(id="c1", name="A", tags=["ally"]), config) == "2w"


def test_cadence_uses_the_configured_default() -> None:
    config = Config(cadence={"default": "4w"})
    assert cadence_of(Contact(id="c1", name="A", tags=["ally"]), config) == "4w"


def test_a_given_name_written_without_spaces_is_the_end_of_the_name() -> None:
    people = [
        Contact(id="c1", name="王小明"),
        Contact(id="c2", name="陳小明"),
        Contact(id="c3", name="김민수"),
        Contact(id="c4", name="中村"),
        Contact(id="c5", name="田中"),
        Contact(id="c6", name="Ming Wang"),  # a name with spaces: words, not its end
        Contact(id="c7", name="李大同"),
    ]
    assert resolve("민수", people).id == "c3"
    assert resolve("大同", people).id == "c7"
    with pytest.raises(AmbiguousError) as info:
        resolve("小明", people)  # 王小明 and 陳小明 are both called so
    assert "王小明 (c1), 陳小明 (c2)" in (info.value.hint or "")
    assert resolve("中", people).id == "c4"  # a surname's start, not 田中's end
    for nobody in ("明", "村", "ang"):  # one character is no given name; a spaced name's end
        with pytest.raises(NotFoundError):
            resolve(nobody, people)
