"""`make bench`: the whole replication lifecycle against bare rendering, on this machine.

Runs N replications (made from examples/palopo-2020) through the real worker on a private
embedded stack, renders the same documents with bare docxtpl + WeasyPrint in a pool of
the same size, times single events on the idle system, and writes bench/results.json.
"""
