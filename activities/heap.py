"""A long-running process's heap, settled so that the garbage collector stops walking it.

CPython's full collections walk every object the collector tracks. In a render process
that is, after warm-up, some 120,000 long-lived objects of WeasyPrint, fontTools, Jinja and
the templates: about 95 ms a full collection, 4-5 % of the process's CPU, with 7-8 % of it
spent in collections altogether (measured in `make bench`, issue 7). Frozen
(``gc.freeze``), they are left out of every later collection; refcounting still frees
them. A render process settles its heap after warm-up and once more after its first
documents, when each template it uses has been compiled and cached; the worker process
(boto3's service models, the SDK, pyhanko) once before it polls.
"""

from __future__ import annotations

import gc

# By then a process has rendered most kinds a replication uses; what a later document
# caches for the first time (its kind's template) stays in the collections.
SETTLE_AFTER_DOCUMENTS = 20

_rendered = 0


def settle_heap() -> None:
    # Collected first: a reference cycle frozen while garbage would never be freed.
    gc.collect()
    gc.freeze()


def document_rendered() -> None:
    """Count a document this process rendered; settle the heap after the first ones."""
    global _rendered
    _rendered += 1
    if _rendered == SETTLE_AFTER_DOCUMENTS:
        settle_heap()
