import { describeActionFuzzing } from "../support/hostile";

// Hostile input at the server actions, part 1 of 2 (the other part runs beside it on its own server). What and
// why: tests/support/hostile.ts.
describeActionFuzzing(0, 2);
