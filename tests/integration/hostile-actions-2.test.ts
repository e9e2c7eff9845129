import { describeActionFuzzing } from "../support/hostile";

// Hostile input at the server actions, part 2 of 2 (the other part runs beside it on its own server). What and
// why: tests/support/hostile.ts.
describeActionFuzzing(1, 2);
