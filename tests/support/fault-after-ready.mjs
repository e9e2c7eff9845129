/**
 * A test-only preload for the real server (`NODE_OPTIONS=--import <this file>`, tests/integration/shutdown.test.ts):
 * once the server prints its ready line, it causes the fault CRUX_TEST_FAULT names — `rejection` (a promise rejected
 * with nobody to catch it) or `exception` (an error thrown from a timer) — as a bug in the running server would.
 * Plain JavaScript, so it loads before tsx is registered.
 */
const fault = process.env.CRUX_TEST_FAULT;
if (fault === "rejection" || fault === "exception") {
  const write = process.stdout.write.bind(process.stdout);
  let armed = true;
  process.stdout.write = (chunk, ...rest) => {
    if (armed && String(chunk).includes("Crux ready on")) {
      armed = false;
      setImmediate(() => {
        if (fault === "rejection") Promise.reject(new Error("boom: injected unhandled rejection"));
        else throw new Error("boom: injected uncaught exception");
      });
    }
    return write(chunk, ...rest);
  };
}
