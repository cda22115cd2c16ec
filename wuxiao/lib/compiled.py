"""Reads that run on every request, compiled to SQL once per database connection.

Django builds and compiles a queryset each time it runs it: a `filter()` turns into lookups
and a WHERE tree, the compiler walks the selected columns, the joins of `select_related` and
the ordering, and only then is the SQL sent. For a read every request makes — the signed-in
user, the project a page shows with its campaign and unit, its team and files — that is most
of the query's Python, for the same SQL every time (profile in docs/performance.md).

`Compiled` builds and compiles a read's shape once, with stand-ins for the values that vary
(the `build` function's parameters), and keeps the SQL, the parameters and what the compiler
worked out to turn rows into instances: the columns' converters, which columns make the model
and which the related rows of `select_related`, the annotations. A call substitutes the values,
runs the SQL on the connection and builds the instances exactly as `QuerySet` iteration does
(`Model.from_db`, the related populators, the converters). The plan is kept per connection
object (a thread's own), since a converter may belong to its connection's backend.

`CompiledRelation` reads one instance's reverse relation (a project's team) that way and puts
the rows where `prefetch_related` would, so templates and code that call `project.members.all()`
see no difference; its `prefetch()` is the same read for many instances at once.

Only for shapes whose stand-ins are scalar values compared for equality (a key, a foreign
key): an `__in` list changes the SQL with its length; an integer no 64-bit column can hold
matches no row, as the ORM answers it. Not for `none()` (nothing to compile: answer it without a call).
"""

import inspect
from collections.abc import Callable
from weakref import WeakKeyDictionary

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Prefetch, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

STAND_IN = -7_301_946_822  # a value no row has, found again among the compiled parameters
_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


class _Plan:
    __slots__ = (
        "annotations",
        "converters",
        "end",
        "for_update",
        "init_list",
        "model",
        "params",
        "positions",
        "related",
        "sql",
        "start",
    )


class Compiled:
    """`build(**values)` gives the queryset; `all(**values)` runs its compiled SQL."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = DEFAULT_DB_ALIAS):
        self.build = build
        self.names = tuple(inspect.signature(build).parameters)
        self.using = using
        self.plans: WeakKeyDictionary = WeakKeyDictionary()

    def plan(self, connection) -> _Plan:
        stand_ins = {name: STAND_IN - i for i, name in enumerate(self.names)}
        qs = self.build(**stand_ins)
        if qs._iterable_class is not ModelIterable or qs._prefetch_related_lookups or qs._known_related_objects:
            raise ValueError("a compiled read yields model instances and prefetches nothing itself")
        compiler = qs.query.get_compiler(using=self.using, connection=connection)
        sql, params = compiler.as_sql()
        plan = _Plan()
        plan.sql, plan.params = sql, tuple(params)
        plan.positions = {}
        for name, value in stand_ins.items():
            found = [i for i, p in enumerate(params) if p == value or p == str(value)]
            if not found:
                raise ValueError(f"{name!r} is not among the compiled read's parameters")
            plan.positions[name] = found
        select, klass_info = compiler.select, compiler.klass_info
        fields = [s[0] for s in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("composite fields are not supported")
        plan.converters = list(compiler.get_converters(fields).items())
        plan.model = klass_info["model"]
        plan.start, plan.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        plan.init_list = [f[0].target.attname for f in select[plan.start : plan.end]]
        plan.related = get_related_populators(klass_info, select, self.using)
        plan.annotations = list(compiler.annotation_col_map.items())
        plan.for_update = qs.query.select_for_update
        return plan

    def all(self, **values) -> list[Model]:
        connection = connections[self.using]
        plan = self.plans.get(connection)
        if plan is None:
            plan = self.plans[connection] = self.plan(connection)
        if plan.for_update and connection.features.has_select_for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = list(plan.params)
        for name, positions in plan.positions.items():
            value = values[name]
            if type(value) is int and not _BIGINT_MIN <= value <= _BIGINT_MAX:
                return []  # no row has such a key (SQLite would raise OverflowError)
            for i in positions:
                params[i] = value
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        db, model, start, end, init_list = self.using, plan.model, plan.start, plan.end, plan.init_list
        objects = []
        for row in rows:
            if plan.converters:
                row = list(row)
                for pos, (convs, expression) in plan.converters:
                    value = row[pos]
                    for convert in convs:
                        value = convert(value, expression, connection)
                    row[pos] = value
            obj = model.from_db(db, init_list, row[start:end])
            for populator in plan.related:
                populator.populate(row, obj)
            for name, pos in plan.annotations:
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects

    def first(self, **values) -> Model | None:
        """The first row (in the shape's own order), or None."""
        rows = self.all(**values)
        return rows[0] if rows else None


class CompiledGet:
    """One row by its primary key, for a read of `queryset()` — the signed-in user with what
    every page shows of them. `get` takes the key as a request carries it (the session stores
    it as text) and answers None for one that is not a key."""

    def __init__(self, queryset: Callable[[], QuerySet]):
        self.read = Compiled(lambda pk: queryset().filter(pk=pk).order_by())
        self.key = None

    def get(self, pk) -> Model | None:
        if self.key is None:
            self.key = self.read.build(pk=STAND_IN).model._meta.pk
        try:
            pk = self.key.to_python(pk)
        except ValidationError:
            return None
        return self.read.first(pk=pk)


class CompiledRelation:
    """One instance's reverse relation (`relation` of `model`, e.g. a project's "members"),
    read by the instance's key with `queryset()` (default: the related model's, in its own
    order) and kept where `prefetch_related` keeps it — or on `to_attr`, as a list."""

    def __init__(
        self, model: type[Model], relation: str, queryset: Callable[[], QuerySet] | None = None, *, to_attr=None
    ):
        self.model, self.relation, self.to_attr = model, relation, to_attr
        self.queryset = queryset
        self.read = Compiled(self._filtered)

    @property
    def field(self):
        """The foreign key on the related model that points back at `model`."""
        return self.model._meta.get_field(self.relation).field

    def _base(self) -> QuerySet:
        return self.queryset() if self.queryset else self.field.model._default_manager.all()

    def _filtered(self, owner) -> QuerySet:
        return self._base().filter(**{self.field.attname: owner})

    def prefetch(self, *, empty: bool = False) -> Prefetch:
        """The same read as a `Prefetch`, for many instances; `empty`: read nothing."""
        qs = self._base()
        return Prefetch(self.relation, queryset=qs.none() if empty else qs, to_attr=self.to_attr)

    def read_into(self, instance: Model, *, empty: bool = False) -> list[Model]:
        """Read the relation for `instance` (nothing when `empty`) and keep it on the instance."""
        rows = [] if empty else self.read.all(owner=instance.pk)
        field = self.field
        for row in rows:
            field.set_cached_value(row, instance)
        if self.to_attr:
            setattr(instance, self.to_attr, rows)
            return rows
        qs = getattr(instance, self.relation).get_queryset()
        qs._result_cache, qs._prefetch_done = rows, True
        if not hasattr(instance, "_prefetched_objects_cache"):
            instance._prefetched_objects_cache = {}
        instance._prefetched_objects_cache[field.remote_field.cache_name] = qs
        return rows
