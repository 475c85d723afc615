"""The one permission rule of the routes: `User.acts_for`."""

from shared.auth import Role, User

ADA = User("ada", Role.student)
GRACE = User("grace", Role.mentor)
OPS = User("ops", Role.admin)


def test_an_owner_acts_for_themself_and_nobody_else() -> None:
    assert ADA.acts_for("ada")
    assert ADA.acts_for("grace", "ada")  # one of the resource's people
    assert not ADA.acts_for("alan")
    assert not ADA.acts_for()


def test_a_role_narrows_it_to_an_owner_in_that_role() -> None:
    assert GRACE.acts_for("grace", role=Role.mentor)
    assert not User("grace", Role.student).acts_for("grace", role=Role.mentor)


def test_an_admin_acts_for_anyone() -> None:
    assert OPS.acts_for("ada")
    assert OPS.acts_for("grace", role=Role.mentor)
    assert OPS.acts_for()
