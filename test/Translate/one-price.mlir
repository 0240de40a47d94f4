// One price (issue 18, item 1): on seeded random graphs and clusters, every
// merge strategy x every compression method is planned, simulated, lowered,
// written as schedule.bin and printed as JSON; the script prices each plan
// from the JSON alone with its own implementation of docs/passes.md's
// models (measured curves, the engine's cost per bucket and the comm lane
// slowed beside the sparsify lane included) and requires the schedule's
// predicted iteration time (and every
// bucket's predicted times) to be that price, within a relative 1e-9.
// It also checks each bucket's compression against the documented budgets
// (k_G = sum of max(1, ceil(rho_i n_i)), its written density). Under that
// one price, `optimal` without a noise guard is never slower than
// another strategy's plan of the same graph, cluster and compression.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/one-price.py %t | FileCheck %s

// CHECK: 1120 cases (20 graph x cluster pairs, 7 strategies x 8 compressions), 0 refused
// CHECK: measured curves: {{[1-9][0-9]*}} of 20 clusters; engine cost per bucket: {{[1-9][0-9]*}}; shared timeline: {{[1-9][0-9]*}}; comm beside sparsify: {{[1-9][0-9]*}}
// CHECK: one price: 1120 plans, all equal
// CHECK: budgets: 1120 plans as documented, {{[0-9]+}} selection buckets keep k_G
// CHECK: optimal never slower: 960 comparisons
