"""Per-object grants (guardian), as the apps will OR them with membership scope."""

import pytest
from django.contrib.auth.models import Permission
from guardian.shortcuts import assign_perm

from strom import access
from strom.models import Actor

pytestmark = pytest.mark.django_db


def granted(user):
    return set(Actor.objects.filter(access.granted_q(user, Actor, "view_actor")))


def test_a_grant_to_the_user_covers_that_object_only(demo):
    user = demo.users["sw.jelgava"]
    assign_perm("strom.view_actor", user, demo.actors["riga-shelter"])
    assert granted(user) == {demo.actors["riga-shelter"]}


def test_a_grant_to_an_actor_group_covers_its_staff(demo):
    shelter_staff = demo.actors["riga-shelter"].group
    assign_perm("strom.view_actor", shelter_staff, demo.actors["riga-clinic"])
    assert granted(demo.users["provider.riga"]) == {demo.actors["riga-clinic"]}
    assert granted(demo.users["sw.riga"]) == set()


def test_a_model_level_permission_never_widens_the_scope(demo):
    user = demo.users["sw.riga"]
    user.user_permissions.add(Permission.objects.get(codename="view_actor"))
    assert granted(type(user).objects.get(pk=user.pk)) == set()


def test_superuser_status_gives_no_grants(demo):
    user = demo.users["coord.riga"]
    user.is_superuser = True
    user.save()
    assert granted(user) == set()


def test_a_deactivated_user_keeps_no_grants(demo):
    user = demo.users["sw.jelgava"]
    assign_perm("strom.view_actor", user, demo.actors["riga-shelter"])
    user.is_active = False
    user.save()
    assert granted(user) == set()
