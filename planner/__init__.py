"""The planner: policy, graph, data, the MILP and its solving, the greedy baseline, the checker, outputs and the CLI."""
