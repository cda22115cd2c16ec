"""A model's default order by its parent (a team member by its project, a stage by its
campaign) sorts by the parent's id: naming the relation itself ("project") would make
Django join the parent's table and sort by the parent's own order (e.g. the project's last
change) on every list of team members, attachments, events… An order that means to follow
a related row says so with a lookup ("unit__path")."""

from django.apps import apps


def test_ordering_by_a_parent_does_not_join_it():
    joined = []
    for model in apps.get_models():
        ordering = model._meta.ordering
        ours = model.__module__.startswith("wuxiao.")
        if not ours or not all(isinstance(o, str) and "__" not in o for o in ordering):
            continue
        if "JOIN" in str(model.objects.all().query):
            joined.append(f"{model._meta.label} {ordering}")
    assert not joined, joined
    # the check sees a join where one is meant: directions follow their unit's place in the tree
    assert "JOIN" in str(apps.get_model("projects.Direction").objects.all().query)
