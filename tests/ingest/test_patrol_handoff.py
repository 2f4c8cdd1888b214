"""After a large batch, the patrol derives the pending cases chunk by chunk in worker
processes; the parent keeps only a few chunks in flight, so finished chunks never pile up in
its memory however many cases the batch touched."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from fazhi.apps.patrol.rebuild import in_order_ahead


def square(n: int) -> int:
    return n * n


def test_results_come_in_order_with_only_a_few_items_submitted_ahead():
    pulled = 0

    def items():
        nonlocal pulled
        for n in range(40):
            pulled += 1
            yield n

    results = []
    with ProcessPoolExecutor(2) as pool:
        for result in in_order_ahead(pool, square, items(), ahead=4):
            assert pulled - len(results) <= 5  # this result and four more at most
            results.append(result)
    assert results == [n * n for n in range(40)]
