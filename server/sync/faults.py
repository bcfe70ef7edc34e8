"""Failures injected on purpose, so the suite can prove what happens when a push breaks halfway.

Only the test configuration sets a plan; production code paths just call the two hooks, which do nothing.
"""
import time

from .errors import Transient


class InjectedCrash(RuntimeError):
    """Stands for a server dying after applying mutations but before committing them."""


class FaultPlan:
    """transient_at: mutation ids that fail transiently; crash_before_commit: fail after all the work;
    delay_after_allocate: hold the transaction open after allocating change numbers."""

    def __init__(self, transient_at=(), crash_before_commit=False, delay_after_allocate=None):
        self.transient_at = set(transient_at)
        self.crash_before_commit = crash_before_commit
        self.delay_after_allocate = delay_after_allocate  # seconds (a callable returning them), to widen races

    def before(self, mutation):
        if mutation["mutation_id"] in self.transient_at:
            raise Transient(f"injected transient failure at {mutation['mutation_id']}")

    def after_allocate(self):
        if self.delay_after_allocate:
            time.sleep(self.delay_after_allocate())

    def before_commit(self):
        if self.crash_before_commit:
            raise InjectedCrash("injected crash before commit")


NO_FAULTS = FaultPlan()
